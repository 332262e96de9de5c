-- 0005: login sessions, so a token can be revoked. A token names its
-- session; every authenticated call checks the row is still here, so
-- logout (deleting the row) ends the token and every copy of it. An email
-- change deletes the user's other sessions. Tokens issued before this
-- migration (format v1, no session) are refused: their users log in again.
CREATE TABLE sessions (
    id      bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created timestamptz NOT NULL DEFAULT now(),
    -- The token's own expiry; expired rows are purged now and then.
    expires timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires);
