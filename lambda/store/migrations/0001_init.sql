-- 0001: the schema of the whole product (users, topics, rooms, messages,
-- participants), created up front so later features add code, not tables.
-- Text limits mirror the validation in package service; the CHECKs are the
-- last line of defence, the service gives the friendly errors.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    -- Stored lower-case so uniqueness and look-ups need no lower().
    username      text NOT NULL CHECK (username = lower(username) AND char_length(username) BETWEEN 1 AND 150),
    email         text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    name          text NOT NULL DEFAULT '' CHECK (char_length(name) <= 200),
    bio           text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 2000),
    -- Object key of the avatar in the S3 bucket; '' means the default avatar.
    avatar        text NOT NULL DEFAULT '',
    -- NULL means the account cannot log in (e.g. the seeded demo user).
    password_hash text,
    created       timestamptz NOT NULL DEFAULT now(),
    updated       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (username);
-- Emails are unique case-insensitively but kept as typed.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE topics (
    id      bigserial PRIMARY KEY,
    name    text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    created timestamptz NOT NULL DEFAULT now()
);
-- Case-insensitive uniqueness; also the conflict target of topic
-- get-or-create (INSERT ... ON CONFLICT ((lower(name))) DO NOTHING).
CREATE UNIQUE INDEX topics_name_lower_key ON topics (lower(name));

CREATE TABLE rooms (
    id          bigserial PRIMARY KEY,
    host_id     bigint NOT NULL REFERENCES users (id),
    topic_id    bigint NOT NULL REFERENCES topics (id),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
-- Listings are newest-updated first with id as the tie-breaker.
CREATE INDEX rooms_updated_idx ON rooms (updated DESC, id DESC);
CREATE INDEX rooms_topic_idx ON rooms (topic_id);
CREATE INDEX rooms_host_idx ON rooms (host_id, updated DESC);

CREATE TABLE messages (
    id      bigserial PRIMARY KEY,
    room_id bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body    text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 10000),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now()
);
-- A room's messages in order, a user's messages, and recent activity.
CREATE INDEX messages_room_idx ON messages (room_id, created, id);
CREATE INDEX messages_user_idx ON messages (user_id, created DESC);
CREATE INDEX messages_created_idx ON messages (created DESC, id DESC);

-- Participants are the users who have posted in a room (the seed app's
-- rule); posting a message adds the author here.
CREATE TABLE room_participants (
    room_id bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_participants_user_idx ON room_participants (user_id);
