-- What a processed event caused, so a redelivery can publish it again if the broker never
-- confirmed it: 'turn' (reply + transcript), 'fixed-reply' (text in reply_text), 'directive',
-- 'erasure' (erasure request + confirmation), 'none'.
alter table processed_event add column outcome varchar(20) not null default 'none';
alter table processed_event add column reply_text text;
alter table processed_event add column conversation_key varchar(200);
