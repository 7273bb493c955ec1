-- Safety review: transcript store, review cases, reviewers, audit trail.
-- Personal data lives only in transcript_turn.original_ciphertext (AES-GCM); everything else uses
-- subject ids and redacted display copies.

create table transcript_turn (
  event_id text primary key,
  conversation_id text not null,
  subject_id text not null,
  channel text not null,
  turn_index int not null,
  user_text_display text not null,
  assistant_text_display text not null,
  redaction_count int not null,
  original_ciphertext bytea not null,
  key_id text not null,
  started_at timestamptz,
  completed_at timestamptz,
  received_at timestamptz not null,
  interrupted boolean not null,
  model text,
  language text,
  classified_at timestamptz,
  flagged boolean,
  top_category text,
  top_score real,
  scores jsonb
);
create index transcript_turn_conversation on transcript_turn (conversation_id, turn_index);
create index transcript_turn_subject on transcript_turn (subject_id);
create index transcript_turn_received on transcript_turn (received_at);
create index transcript_turn_unclassified on transcript_turn (received_at) where classified_at is null;

create table review_case (
  id bigserial primary key,
  conversation_id text not null,
  subject_id text not null,
  channel text not null,
  queue text not null,
  status text not null,
  category text,
  severity int not null,
  top_score real,
  opened_at timestamptz not null,
  trigger_event_id text,
  claimed_by text,
  claim_expires_at timestamptz,
  decided_by text,
  decided_at timestamptz,
  decision text,
  decision_category text,
  notes text,
  enforcement text,
  auto_action text
);
-- At most one open case per conversation, whatever the concurrency of ingestion.
create unique index review_case_one_open_per_conversation on review_case (conversation_id)
  where status = 'OPEN';
create index review_case_queue_open on review_case (queue, opened_at) where status = 'OPEN';
create index review_case_subject on review_case (subject_id);

create table reviewer_account (
  username text primary key,
  password_hash text not null,
  role text not null,
  created_at timestamptz not null,
  disabled boolean not null default false
);

create table reviewer_session (
  token_hash text primary key,
  username text not null references reviewer_account (username) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index reviewer_session_expiry on reviewer_session (expires_at);

create table exposure_count (
  username text not null,
  day date not null,
  views int not null,
  primary key (username, day)
);

create table legal_hold (
  subject_id text primary key,
  reason text not null,
  created_by text not null,
  created_at timestamptz not null
);

create table category_threshold (
  category text primary key,
  threshold real not null,
  updated_by text not null,
  updated_at timestamptz not null
);

-- Append-only, hash-chained. Each hash covers the previous hash and this row's fields.
create table audit_record (
  seq bigint primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  target text not null,
  detail text not null,
  prev_hash text not null,
  hash text not null
);

create function audit_record_append_only() returns trigger as $$
begin
  raise exception 'audit_record is append-only';
end;
$$ language plpgsql;

create trigger audit_record_no_update before update or delete on audit_record
  for each row execute function audit_record_append_only();
