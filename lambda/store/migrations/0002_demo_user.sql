-- 0002: the demo user, from the days before login, when every room was
-- created with this user as its host. It has no password hash, so nobody
-- can log in as it; 0004 removes it again where it hosts no rooms.
-- (Migrations are recorded by version only, without a checksum, so this
-- comment could be corrected; the statement stays exactly as applied.)
INSERT INTO users (username, email, name, password_hash)
VALUES ('demo', 'demo@coolroom.local', 'Demo Host', NULL);
