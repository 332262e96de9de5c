-- 0004: remove the password-less "Demo Host" that 0002 seeded for the days
-- before login. Nobody can log in as it and nothing creates rooms for it,
-- so on a fresh database it is only a stranger in the user list. A database
-- where it still hosts rooms (made before login existed) keeps it: those
-- rooms need their host. Its messages and memberships, if any, go with it.
DELETE FROM users u
WHERE u.username = 'demo'
  AND u.email = 'demo@coolroom.local'
  AND u.password_hash IS NULL
  AND NOT EXISTS (SELECT 1 FROM rooms r WHERE r.host_id = u.id);
