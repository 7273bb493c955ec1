-- Voice notes and photos accepted by the webhook but not yet downloaded, transcribed and published.
-- Written before the webhook answers 200, so a crash never loses one; resumed at start-up.
create table media_job (
    event_id        varchar(300) primary key,
    phone_number_id varchar(64)  not null,
    subject_id      varchar(128) not null,
    media_id        varchar(200) not null,
    media_kind      varchar(16)  not null,
    mime_type       varchar(200) not null,
    event           bytea        not null, -- the InboundEvent, waiting for its transcript/image
    state           varchar(16)  not null, -- PENDING, DONE, FAILED
    attempts        integer      not null default 0,
    last_error      varchar(500),
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);
create index media_job_pending on media_job (state, updated_at);
