-- The people we talk to on each business number. The raw number (wa_id) lives only here.
create table contact (
    id              varchar(200) primary key, -- phone_number_id || ':' || subject_id
    phone_number_id varchar(64)  not null,
    subject_id      varchar(128) not null,
    wa_id           varchar(16),
    user_id         varchar(200),
    last_inbound_at timestamptz  not null,
    updated_at      timestamptz  not null
);

-- Every reply we sent or tried to send, by the outbound event id that asked for it.
create table outbound_message (
    event_id        varchar(300) primary key,
    conversation_id varchar(300) not null,
    subject_id      varchar(128) not null,
    phone_number_id varchar(64)  not null,
    part_index      integer      not null default 0,
    state           varchar(16)  not null,
    kind            varchar(16)  not null default 'TEXT',
    wamid           varchar(200),
    attempts        integer      not null default 0,
    error_code      integer,
    error_title     varchar(500),
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);
create unique index outbound_message_wamid on outbound_message (wamid);
