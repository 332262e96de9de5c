-- 0002: the demo user. TEMPORARY: until login exists every room is created
-- with this user as its host. It has no password hash, so nobody can log
-- in as it; keep the row even after login ships, since rooms refer to it.
INSERT INTO users (username, email, name, password_hash)
VALUES ('demo', 'demo@coolroom.local', 'Demo Host', NULL);
