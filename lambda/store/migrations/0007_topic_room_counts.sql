-- 0007: each topic keeps its number of rooms. Listing the topics with
-- their counts, the rooms' topic counts on every room card and the total
-- number of rooms then read the topics (a handful of rows) instead of
-- every room's index entry, so the home page costs the same with 1,000
-- rooms as with 100,000. Triggers keep the count with the rooms, in the
-- same transaction: a room created, deleted or moved to another topic
-- changes its topics' counts or nothing at all.
ALTER TABLE topics ADD COLUMN rooms bigint NOT NULL DEFAULT 0 CHECK (rooms >= 0);

UPDATE topics t SET rooms = c.n
FROM (SELECT topic_id, count(*) AS n FROM rooms GROUP BY topic_id) c
WHERE c.topic_id = t.id;

CREATE FUNCTION count_topic_rooms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A move locks both topics in id order first, so two moves in
    -- opposite directions wait for each other instead of deadlocking. The
    -- lock is the one UPDATE takes (FOR NO KEY UPDATE): the foreign key
    -- check of a room moving the other way holds KEY SHARE on its new
    -- topic, which FOR UPDATE would wait for, in a cycle.
    IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM topics WHERE id IN (OLD.topic_id, NEW.topic_id) ORDER BY id FOR NO KEY UPDATE;
        UPDATE topics SET rooms = rooms + CASE WHEN id = NEW.topic_id THEN 1 ELSE -1 END
        WHERE id IN (OLD.topic_id, NEW.topic_id);
    ELSIF TG_OP = 'INSERT' THEN
        UPDATE topics SET rooms = rooms + 1 WHERE id = NEW.topic_id;
    ELSE
        UPDATE topics SET rooms = rooms - 1 WHERE id = OLD.topic_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rooms_count_topic_rooms AFTER INSERT OR DELETE ON rooms
    FOR EACH ROW EXECUTE FUNCTION count_topic_rooms();
CREATE TRIGGER rooms_move_topic_rooms AFTER UPDATE OF topic_id ON rooms
    FOR EACH ROW WHEN (OLD.topic_id IS DISTINCT FROM NEW.topic_id) EXECUTE FUNCTION count_topic_rooms();
