-- People, conversations, turns and the event ids already processed. Schema "core" belongs to
-- conversation-core alone; no other service reads it.

create table person (
    subject_id         varchar(64)  primary key,
    -- AES-GCM(iv || ciphertext || tag) of the E.164 number; null when the channel gave none.
    phone_encrypted    bytea,
    created_at         timestamptz  not null,
    last_seen_at       timestamptz  not null,
    -- When the one-line AI/safety disclosure was last shown on WhatsApp.
    disclosed_at       timestamptz,
    -- "Start over": turns before this instant are no longer part of the prompt.
    context_reset_at   timestamptz
);

create table conversation (
    id                 uuid         primary key,
    subject_id         varchar(64)  not null references person (subject_id) on delete cascade,
    channel            varchar(16)  not null,
    -- The channel's thread key, e.g. "wa:<subject id>" or "call:<call id>".
    channel_key        varchar(200) not null,
    started_at         timestamptz  not null,
    last_activity_at   timestamptz  not null,
    ended_at           timestamptz,
    end_reason         varchar(40)
);
create index conversation_open_by_key on conversation (channel_key) where ended_at is null;
create index conversation_by_subject on conversation (subject_id);

create table turn (
    id                 bigserial    primary key,
    conversation_id    uuid         not null references conversation (id) on delete cascade,
    subject_id         varchar(64)  not null,
    turn_index         integer      not null,
    role               varchar(16)  not null,
    text               text         not null,
    -- Provider media references (ids, mime types) as sent by the channel; never the media itself.
    media_refs         text,
    -- The inbound event this turn records (user) or answers (assistant).
    event_id           varchar(300) not null,
    model              varchar(200),
    input_tokens       integer,
    output_tokens      integer,
    latency_ms         integer,
    interrupted        boolean      not null default false,
    language           varchar(35),
    created_at         timestamptz  not null,
    unique (conversation_id, turn_index)
);
create index turn_by_subject_time on turn (subject_id, created_at);
create index turn_by_event on turn (event_id);

-- Inbound event ids whose effects are stored; written in the same transaction as the turn.
create table processed_event (
    event_id           varchar(300) primary key,
    subject_id         varchar(64),
    processed_at       timestamptz  not null,
    -- True once every event this one caused was confirmed by the broker.
    published          boolean      not null default false
);
create index processed_event_by_subject on processed_event (subject_id);

-- Seconds of calls per person and calendar month (UTC).
create table monthly_usage (
    subject_id         varchar(64)  not null,
    month              date         not null,
    voice_seconds      integer      not null default 0,
    primary key (subject_id, month)
);

-- Latest enforcement action per person from safety.enforcement.
create table enforcement (
    subject_id         varchar(64)  primary key,
    action             varchar(16)  not null,
    blocked_until      timestamptz,
    decided_at         timestamptz,
    event_id           varchar(300) not null
);
