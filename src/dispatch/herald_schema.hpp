#pragma once
// Schema `herald`: everything herald keeps in the user's database. Created by
// `herald setup` and at every `herald run`; nothing outside this schema but the slot,
// the publication and the replica identity of observed tables.

namespace herald::dispatch {

inline constexpr const char* kHeraldSchemaSql = R"sql(
SET client_min_messages = warning;  -- "already exists, skipping" is not news
CREATE SCHEMA IF NOT EXISTS herald;

-- Deliveries whose first try failed, waiting for their next attempt. The slot moves
-- past an event once its failed deliveries are here.
CREATE TABLE IF NOT EXISTS herald.retries (
  id              bigserial PRIMARY KEY,
  event_id        text        NOT NULL,
  rule            text        NOT NULL,
  action          integer     NOT NULL,
  target          text        NOT NULL,
  ordering_key    text        NOT NULL,
  destination     text        NOT NULL,
  payload         text        NOT NULL,
  attempts        integer     NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  last_error      text        NOT NULL DEFAULT '',
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  UNIQUE (event_id, rule, action)
);
-- The session (backend pid) of the retry worker holding a row's lease: once that session
-- is gone (its herald crashed) the row is free at once, not only when the lease ends.
ALTER TABLE herald.retries ADD COLUMN IF NOT EXISTS locked_by integer;
CREATE INDEX IF NOT EXISTS retries_due ON herald.retries (next_attempt_at);
CREATE INDEX IF NOT EXISTS retries_order ON herald.retries (rule, action, ordering_key, event_id);

-- Deliveries that will not be tried again until a person replays them.
CREATE TABLE IF NOT EXISTS herald.dead_letters (
  id              bigserial PRIMARY KEY,
  event_id        text        NOT NULL,
  rule            text        NOT NULL,
  action          integer     NOT NULL,
  target          text        NOT NULL,
  destination     text        NOT NULL,
  event           jsonb       NOT NULL,
  payload         text        NOT NULL,
  attempts        integer     NOT NULL,
  last_error      text        NOT NULL,
  first_failed_at timestamptz NOT NULL,
  dead_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dead_letters_event ON herald.dead_letters (event_id);

-- Events a subscription handler already ran for: a redelivered message is acked
-- without running the handler again.
CREATE TABLE IF NOT EXISTS herald.inbox (
  consumer     text        NOT NULL,
  event_id     text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
RESET client_min_messages;
)sql";

}  // namespace herald::dispatch
