-- A voice reply the caller talked over after it was complete: turn.text becomes what the caller
-- heard (so later prompts' history and the transcript are honest) and the whole generated reply is
-- kept here. Null for every other turn.
alter table turn add column generated_text text;
