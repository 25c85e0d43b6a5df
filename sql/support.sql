--
-- support: a call whose claims cannot change during one execution of the
-- query is recognised by the claims' address, which must never let one
-- token's answers leak into another's
--
CREATE TABLE sup_tokens (name text PRIMARY KEY, claims jsonb NOT NULL);
-- a and b have the same size on purpose: a subquery evaluated again can
-- place the new value exactly where the old one was
INSERT INTO sup_tokens VALUES
  ('a', '{"urn:useparagon:connect:permissions": {"integration:aaaa": true}}'),
  ('b', '{"urn:useparagon:connect:permissions": {"integration:bbbb": true}}'),
  ('n', '{"urn:useparagon:connect:permissions": {"integration:*": false}}');
CREATE TABLE sup_rows AS
  SELECT i, CASE WHEN i % 4 = 0 THEN 'aaaa' ELSE 'bbbb' END AS integration
  FROM generate_series(1, 100) i;
ANALYZE sup_tokens, sup_rows;
SET max_parallel_workers_per_gather = 0;

-- an uncorrelated subquery: one value for the whole run
SELECT count(*) AS a_rows FROM sup_rows
WHERE paragon_allowed((SELECT claims FROM sup_tokens WHERE name = 'a'), 'events', integration, NULL, NULL);
SELECT count(*) AS b_rows FROM sup_rows
WHERE paragon_visible((SELECT claims FROM sup_tokens WHERE name = 'b'), integration, NULL, NULL);

-- a subquery correlated with an enclosing query is evaluated again for each
-- token while the inner call site lives on: answers must follow the bytes
EXPLAIN (COSTS OFF)
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT t2.claims FROM sup_tokens t2 WHERE t2.name = t.name),
                                      'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1;
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT t2.claims FROM sup_tokens t2 WHERE t2.name = t.name),
                                      'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1;
-- the same through a correlated CTE reference and a deeper nesting
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT (SELECT t.claims)), 'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1;
-- a lateral reference (a join parameter) is never trusted by address
SELECT t.name, count(*) FILTER (WHERE paragon_allowed(t.claims, 'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t CROSS JOIN LATERAL (SELECT * FROM sup_rows OFFSET 0) r GROUP BY 1 ORDER BY 1;

-- a generic plan executed with different parameters
PREPARE sup_count(jsonb) AS
  SELECT count(*) FROM sup_rows WHERE paragon_allowed($1, 'events', integration, NULL, NULL);
SET plan_cache_mode = force_generic_plan;
EXECUTE sup_count('{"urn:useparagon:connect:permissions": {"integration:aaaa": true}}');
EXECUTE sup_count('{"urn:useparagon:connect:permissions": {"integration:bbbb": true}}');
EXECUTE sup_count('{"urn:useparagon:connect:permissions": {"integration:*": false}}');
RESET plan_cache_mode;
DEALLOCATE sup_count;

-- PL/pgSQL: a query with a table runs afresh each time, while a simple
-- expression keeps one state as its variable changes; both must follow
-- the variable
DO $$
DECLARE
  v jsonb;
  n bigint;
  expected bigint;
  ok boolean;
  t record;
BEGIN
  FOR i IN 1..3 LOOP
    FOR t IN SELECT * FROM sup_tokens ORDER BY name LOOP
      v := t.claims;
      SELECT count(*) INTO n FROM sup_rows WHERE paragon_allowed(v, 'events', integration, NULL, NULL);
      ok := paragon_allowed(v, 'events', 'aaaa', NULL, NULL);
      expected := CASE t.name WHEN 'a' THEN 25 WHEN 'b' THEN 75 ELSE 0 END;
      IF n <> expected OR ok <> (t.name = 'a') THEN
        RAISE EXCEPTION 'token %: % rows, aaaa %', t.name, n, ok;
      END IF;
    END LOOP;
  END LOOP;
  RAISE NOTICE 'plpgsql: every answer followed the variable';
END $$;

-- a cursor's query keeps its parameters while the loop changes the variable
DO $$
DECLARE
  v jsonb := (SELECT claims FROM sup_tokens WHERE name = 'a');
  n int := 0;
  r record;
BEGIN
  FOR r IN SELECT integration FROM sup_rows WHERE paragon_allowed(v, 'events', integration, NULL, NULL) LOOP
    n := n + 1;
    v := (SELECT claims FROM sup_tokens WHERE name = 'b');
  END LOOP;
  RAISE NOTICE 'cursor rows: %', n;
END $$;

RESET max_parallel_workers_per_gather;
DROP TABLE sup_tokens, sup_rows;
