-- 0006: room search (q) matches the host's display name as well as the
-- username ("Bob Builder" finds Bob's rooms, as the search box promises).
-- A trigram index keeps that an index lookup, where pg_trgm is installed
-- (0003 installs it when it can); elsewhere search still works by scanning.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS users_name_trgm_idx ON users USING gin (name gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not installed: search by host name will scan';
    END IF;
END
$$;
