-- 0003: login throttling, and the indexes of search, the activity feed and
-- the per-host and per-room listings.

-- One row per email that failed to log in recently (known account or not,
-- so throttling says nothing about which emails exist). Kept in the
-- database so every Lambda instance shares one budget per account.
CREATE TABLE login_attempts (
    email_key    text PRIMARY KEY, -- the email as typed at login, lower-cased
    -- Attempts since the last success within the window.
    attempts     integer NOT NULL CHECK (attempts > 0),
    last_attempt timestamptz NOT NULL,
    -- While in the future, attempts are refused without checking the
    -- password.
    locked_until timestamptz
);
-- For purging rows nobody has touched in a day.
CREATE INDEX login_attempts_last_idx ON login_attempts (last_attempt);

-- Listings order by (updated DESC, id DESC); these let a host's rooms, a
-- room's messages (by id, which "after" polls on) and a user's activity
-- come straight off an index in that order.
DROP INDEX rooms_host_idx;
CREATE INDEX rooms_host_idx ON rooms (host_id, updated DESC, id DESC);
DROP INDEX messages_room_idx;
CREATE INDEX messages_room_idx ON messages (room_id, id);
DROP INDEX messages_user_idx;
CREATE INDEX messages_user_idx ON messages (user_id, created DESC, id DESC);

-- Substring search (ILIKE '%q%') cannot use a b-tree; trigram GIN indexes
-- make it an index lookup for q of three or more characters. pg_trgm ships
-- with PostgreSQL's contrib (Debian's postgresql package, the postgres
-- image, RDS) and is a trusted extension, so a database owner may create
-- it. Where it is missing or not permitted, search still works by scanning,
-- so the migration notes it and goes on rather than failing the cold start.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX rooms_name_trgm_idx ON rooms USING gin (name gin_trgm_ops);
        CREATE INDEX rooms_description_trgm_idx ON rooms USING gin (description gin_trgm_ops);
        CREATE INDEX topics_name_trgm_idx ON topics USING gin (name gin_trgm_ops);
        CREATE INDEX users_username_trgm_idx ON users USING gin (username gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: room search will scan';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm cannot be created here: room search will scan';
END
$$;
