--
-- support: a call whose claims cannot change during one execution of the
-- query is recognised by the claims' address, which must never let one
-- token's answers leak into another's
--
-- Every form below that looks like a fixed argument but is not (a
-- correlated subquery, a PL/pgSQL variable in a simple expression, an
-- inlined or a plan-cached SQL function, cursors, generic plans, parallel
-- workers) is checked by its answers, token by token, on every supported
-- PostgreSQL version: a reused address must never carry one token's
-- compiled policy to another's claims.  Plans are checked through their
-- JSON form, whose names do not change between versions.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
-- sup_plan returns a query's plan as jsonb (EXPLAIN VERBOSE, no costs)
CREATE FUNCTION sup_plan(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (COSTS OFF, VERBOSE, FORMAT JSON) ' || query INTO plan;
  RETURN plan::jsonb -> 0 -> 'Plan';
END $$;
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
-- (the plan: a subplan per token, holding an initplan for the claims)
SELECT p @? '$.** ? (@."Parent Relationship" == "SubPlan")' AS has_subplan,
       p @? '$.** ? (@."Parent Relationship" == "SubPlan").** ? (@."Parent Relationship" == "InitPlan")' AS initplan_inside
FROM sup_plan($q$
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT t2.claims FROM sup_tokens t2 WHERE t2.name = t.name),
                                      'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1$q$) p;
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT t2.claims FROM sup_tokens t2 WHERE t2.name = t.name),
                                      'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1;
-- the same through a correlated CTE reference and a deeper nesting
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT (SELECT t.claims)), 'events', r.integration, NULL, NULL)) AS allowed
FROM sup_tokens t ORDER BY 1;
-- correlated only through a window frame offset, inside a derived table
SELECT t.name, (SELECT count(*) FROM sup_rows r
                WHERE paragon_allowed((SELECT x.c FROM (SELECT first_value(claims) OVER
                                        (ORDER BY name ROWS BETWEEN t.k FOLLOWING AND t.k FOLLOWING) AS c
                                        FROM sup_tokens) x LIMIT 1),
                                      'events', r.integration, NULL, NULL)) AS allowed
FROM (SELECT name, row_number() OVER (ORDER BY name) - 1 AS k FROM sup_tokens) t ORDER BY 1;
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

-- a cursor whose variable changes between fetches keeps the parameters it
-- was opened with; a procedure that commits between queries, and a row
-- trigger reading NEW, start a fresh execution each time
DO $$
DECLARE
  v jsonb := (SELECT claims FROM sup_tokens WHERE name = 'a');
  c refcursor;
  r record;
  n int := 0;
BEGIN
  OPEN c FOR SELECT integration FROM sup_rows WHERE paragon_allowed(v, 'events', integration, NULL, NULL);
  LOOP
    v := (SELECT claims FROM sup_tokens WHERE name = CASE WHEN n % 2 = 0 THEN 'b' ELSE 'a' END);
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    IF r.integration <> 'aaaa' THEN RAISE EXCEPTION 'cursor row % followed the variable', n; END IF;
    n := n + 1;
  END LOOP;
  CLOSE c;
  RAISE NOTICE 'refcursor rows: %', n;
END $$;
CREATE PROCEDURE sup_proc() LANGUAGE plpgsql AS $$
DECLARE
  t record;
  n bigint;
BEGIN
  FOR t IN SELECT * FROM sup_tokens ORDER BY name LOOP
    SELECT count(*) INTO n FROM sup_rows WHERE paragon_allowed(t.claims, 'events', integration, NULL, NULL);
    RAISE NOTICE 'procedure, token %: % rows', t.name, n;
    COMMIT;
  END LOOP;
END $$;
CALL sup_proc();
DROP PROCEDURE sup_proc();
CREATE TABLE sup_requests (id int, token text, claims jsonb, allowed_rows bigint);
CREATE FUNCTION sup_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.allowed_rows := (SELECT count(*) FROM sup_rows WHERE paragon_allowed(NEW.claims, 'events', integration, NULL, NULL));
  RETURN NEW;
END $$;
CREATE TRIGGER sup_count BEFORE INSERT ON sup_requests FOR EACH ROW EXECUTE FUNCTION sup_count_rows();
INSERT INTO sup_requests
  SELECT g, t.name, t.claims, NULL FROM generate_series(1, 12) g JOIN sup_tokens t ON t.name = (ARRAY['a', 'b', 'n'])[g % 3 + 1];
SELECT token, min(allowed_rows), max(allowed_rows), count(*) FROM sup_requests GROUP BY 1 ORDER BY 1;
DROP TABLE sup_requests;
DROP FUNCTION sup_count_rows();

-- SQL functions: one that is inlined becomes part of the calling query
-- (its argument a column, a correlated subquery or a PL/pgSQL variable);
-- one that reads a table runs as a query of its own on each call, with the
-- call's argument as its $1; a set-returning one keeps its query open
-- while the caller reads its rows.  Each must answer for the token it
-- was given.
-- (a PL/pgSQL function with a simple expression, for later)
CREATE FUNCTION sup_allowed_plpgsql(c jsonb, i text) RETURNS boolean
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN paragon_allowed(c, 'events', i, NULL, NULL);
END $$;
CREATE FUNCTION sup_allowed_sql(c jsonb, i text) RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT paragon_allowed(c, 'events', i, NULL, NULL) $$;
CREATE FUNCTION sup_count_sql(c jsonb) RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT count(*) FROM sup_rows WHERE paragon_allowed(c, 'events', integration, NULL, NULL) $$;
CREATE FUNCTION sup_rows_sql(c jsonb) RETURNS SETOF text LANGUAGE sql STABLE
  AS $$ SELECT integration FROM sup_rows WHERE paragon_allowed(c, 'events', integration, NULL, NULL) $$;
-- the same, kept from being inlined by its SET clause
CREATE FUNCTION sup_rows_sql_called(c jsonb) RETURNS SETOF text LANGUAGE sql STABLE
  SET work_mem = '4MB'
  AS $$ SELECT integration FROM sup_rows WHERE paragon_allowed(c, 'events', integration, NULL, NULL) $$;
SELECT t.name,
       (SELECT count(*) FROM sup_rows r WHERE sup_allowed_sql(t.claims, r.integration)) AS inlined,
       (SELECT count(*) FROM sup_rows r WHERE sup_allowed_sql((SELECT t.claims), r.integration)) AS inlined_subquery,
       sup_count_sql(t.claims) AS own_query,
       (SELECT count(*) FROM sup_rows_sql(t.claims)) AS srf_inlined,
       (SELECT count(*) FROM sup_rows_sql_called(t.claims)) AS srf_called
FROM sup_tokens t ORDER BY 1;
-- twice over, in a different order, so that each call site sees a new token
SELECT t.name, sup_count_sql(t.claims) AS own_query, count(*) AS srf_rows
FROM sup_tokens t, generate_series(1, 2) g, LATERAL sup_rows_sql_called(t.claims)
GROUP BY t.name, g, t.claims ORDER BY g, 1 DESC;
-- a set-returning function in the select list: each token's rows are
-- read while the function's query stays open
SELECT name, count(*) AS srf_targetlist_rows
FROM (SELECT t.name, sup_rows_sql_called(t.claims) FROM sup_tokens t, generate_series(1, 2) g) s
GROUP BY 1 ORDER BY 1;
-- a PL/pgSQL function's simple expression keeps one state for the whole
-- transaction while its parameter changes on every call
SELECT t.name, count(*) FILTER (WHERE (SELECT sup_allowed_sql(t.claims, r.integration))) AS sql_fn,
       count(*) FILTER (WHERE sup_allowed_plpgsql(t.claims, r.integration)) AS plpgsql_fn
FROM sup_tokens t CROSS JOIN sup_rows r GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE sup_allowed_plpgsql(t.claims, r.integration) <> (t.name = 'a' AND r.integration = 'aaaa'
                                                                              OR t.name = 'b' AND r.integration = 'bbbb'))
         AS wrong_answers_interleaved
FROM sup_rows r CROSS JOIN sup_tokens t;
-- in PL/pgSQL: the inlined and the called SQL functions from simple
-- expressions and from queries, under generic and custom plans
DO $$
DECLARE
  v jsonb;
  t record;
  n bigint;
  ok boolean;
  expected bigint;
  mode text;
BEGIN
  FOREACH mode IN ARRAY ARRAY['force_generic_plan', 'force_custom_plan', 'auto'] LOOP
    PERFORM set_config('plan_cache_mode', mode, true);
    FOR i IN 1..4 LOOP
      FOR t IN SELECT * FROM sup_tokens ORDER BY CASE WHEN i % 2 = 0 THEN name END, name DESC LOOP
        v := t.claims;
        expected := CASE t.name WHEN 'a' THEN 25 WHEN 'b' THEN 75 ELSE 0 END;
        ok := sup_allowed_sql(v, 'aaaa');
        IF ok <> (t.name = 'a') THEN RAISE EXCEPTION '%: inlined in a simple expression: %', t.name, ok; END IF;
        ok := sup_allowed_plpgsql(v, 'bbbb');
        IF ok <> (t.name = 'b') THEN RAISE EXCEPTION '%: plpgsql in a simple expression: %', t.name, ok; END IF;
        n := sup_count_sql(v);
        IF n <> expected THEN RAISE EXCEPTION '%: called, simple expression: %', t.name, n; END IF;
        SELECT count(*) INTO n FROM sup_rows r WHERE sup_allowed_sql(v, r.integration);
        IF n <> expected THEN RAISE EXCEPTION '%: inlined in a query: %', t.name, n; END IF;
        SELECT count(*) INTO n FROM sup_rows_sql(v);
        IF n <> expected THEN RAISE EXCEPTION '%: set-returning, inlined: %', t.name, n; END IF;
        SELECT count(*) INTO n FROM sup_rows_sql_called(v);
        IF n <> expected THEN RAISE EXCEPTION '%: set-returning, called: %', t.name, n; END IF;
        EXECUTE 'SELECT count(*) FROM sup_rows WHERE paragon_allowed($1, ''events'', integration, NULL, NULL)'
          INTO n USING v;
        IF n <> expected THEN RAISE EXCEPTION '%: EXECUTE USING: %', t.name, n; END IF;
        n := (SELECT count(*) FROM sup_rows WHERE paragon_allowed(v, 'events', integration, NULL, NULL));
        IF n <> expected THEN RAISE EXCEPTION '%: subquery expression: %', t.name, n; END IF;
      END LOOP;
    END LOOP;
  END LOOP;
  RAISE NOTICE 'plpgsql and SQL functions: every answer followed the token';
END $$;
-- RETURN QUERY and a function returning a table, called per token
CREATE FUNCTION sup_query_plpgsql(c jsonb) RETURNS SETOF text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY SELECT integration FROM sup_rows WHERE paragon_allowed(c, 'events', integration, NULL, NULL);
END $$;
SELECT t.name, count(*) AS return_query_rows
FROM sup_tokens t, generate_series(1, 3) g, LATERAL sup_query_plpgsql(t.claims) q
GROUP BY 1 ORDER BY 1;
DROP FUNCTION sup_query_plpgsql(jsonb);
DROP FUNCTION sup_allowed_sql(jsonb, text), sup_count_sql(jsonb), sup_rows_sql(jsonb), sup_rows_sql_called(jsonb);

-- parallel workers receive the plan with its marks and their own copy of
-- the initplan's value
CREATE TABLE sup_many AS SELECT g AS copy, integration FROM sup_rows, generate_series(1, 200) g;
ANALYZE sup_many;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT p @? '$.** ? (@."Node Type" == "Gather" && @."Workers Planned" == 2)' AS gather_2_workers,
       p @? '$.** ? (@."Parallel Aware" == true && @.Filter like_regex "paragon_allowed")' AS checked_in_workers
FROM sup_plan($q$
SELECT count(*) FROM sup_many
WHERE paragon_allowed((SELECT claims FROM sup_tokens WHERE name = 'b'), 'events', integration, NULL, NULL)$q$) p;
SELECT count(*) AS b_rows_parallel FROM sup_many
WHERE paragon_allowed((SELECT claims FROM sup_tokens WHERE name = 'b'), 'events', integration, NULL, NULL);
-- a generic plan run by a worker, with the parameters of each execution
-- (debug_parallel_query was called force_parallel_mode before 16)
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS parallel_guc \gset
SET :parallel_guc = on;
PREPARE sup_par(jsonb) AS
  SELECT count(*) FROM sup_rows WHERE paragon_allowed($1, 'events', integration, NULL, NULL);
SET plan_cache_mode = force_generic_plan;
EXECUTE sup_par('{"urn:useparagon:connect:permissions": {"integration:aaaa": true}}');
SELECT p->>'Node Type' AS top_node, p @? '$.** ? (@.Filter like_regex "paragon_allowed\\(.*\\$1")' AS checks_param
FROM sup_plan($q$EXECUTE sup_par('{"urn:useparagon:connect:permissions": {"integration:bbbb": true}}')$q$) p;
EXECUTE sup_par('{"urn:useparagon:connect:permissions": {"integration:bbbb": true}}');
EXECUTE sup_par('{"urn:useparagon:connect:permissions": {"integration:*": false}}');
EXECUTE sup_par('{"urn:useparagon:connect:permissions": {"integration:aaaa": true}}');
DEALLOCATE sup_par;
-- the PL/pgSQL function above, called by the workers on every row, its
-- simple expression fed a different token each time
SELECT t.name, count(*) FILTER (WHERE sup_allowed_plpgsql(t.claims, m.integration)) AS allowed_parallel
FROM sup_tokens t CROSS JOIN sup_many m WHERE m.copy <= 20 GROUP BY 1 ORDER BY 1;
RESET plan_cache_mode;
RESET parallel_leader_participation;
RESET :parallel_guc;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
SET max_parallel_workers_per_gather = 0;
DROP TABLE sup_many;

-- session short forms with claims from a setting: a call in a query that
-- reads a table takes the setting once per execution, like
-- (SELECT current_setting(...)); a PL/pgSQL simple expression reads it on
-- every call
SET paragon.claims_source = 'setting';
-- no claims (a request without a token): nothing is allowed, nothing breaks
RESET request.jwt.claims;
SELECT count(*) FILTER (WHERE paragon_allowed('events', integration)) AS no_claims_allowed,
       count(*) FILTER (WHERE paragon_visible(integration)) AS no_claims_visible
FROM sup_rows;
SET request.jwt.claims = '';
SELECT count(*) FILTER (WHERE paragon_allowed('events', integration)) AS empty_claims_allowed,
       count(*) FILTER (WHERE paragon_visible(integration, NULL::text, NULL)) AS empty_claims_visible
FROM sup_rows;
SELECT set_config('request.jwt.claims', claims::text, false) IS NOT NULL AS set_a FROM sup_tokens WHERE name = 'a';
SELECT count(*) AS a_rows FROM sup_rows WHERE paragon_allowed('events', integration);
SELECT set_config('request.jwt.claims', claims::text, false) IS NOT NULL AS set_b FROM sup_tokens WHERE name = 'b';
SELECT count(*) AS b_rows FROM sup_rows WHERE paragon_allowed('events', integration);
SELECT count(*) AS b_visible FROM sup_rows WHERE paragon_visible(integration);
-- changed during an execution: the next execution sees it
SELECT i, paragon_allowed('events', 'aaaa') AS aaaa,
       set_config('request.jwt.claims', (SELECT claims::text FROM sup_tokens WHERE name = 'a'), false) IS NOT NULL AS set_a
FROM sup_rows WHERE i <= 3;
SELECT paragon_allowed('events', 'aaaa') AS aaaa_next_statement;
-- a call that keeps the first claims for its execution while another call
-- of the same execution, in a PL/pgSQL simple expression, recompiles the
-- session's claims on every row: each keeps its own answer
CREATE FUNCTION sup_flip(name text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', (SELECT claims::text FROM sup_tokens t WHERE t.name = sup_flip.name), false);
  RETURN paragon_allowed('events', 'aaaa');
END $$;
SELECT set_config('request.jwt.claims', claims::text, false) IS NOT NULL AS set_b FROM sup_tokens WHERE name = 'b';
SELECT i, paragon_allowed('events', integration) AS first_claims, integration,
       sup_flip(CASE WHEN i % 2 = 0 THEN 'a' ELSE 'n' END) AS flipped
FROM sup_rows WHERE i <= 4;
DO $$
BEGIN
  PERFORM set_config('request.jwt.claims', (SELECT claims::text FROM sup_tokens WHERE name = 'a'), false);
  IF NOT paragon_allowed('events', 'aaaa') THEN RAISE EXCEPTION 'a should allow aaaa'; END IF;
  PERFORM set_config('request.jwt.claims', (SELECT claims::text FROM sup_tokens WHERE name = 'b'), false);
  IF paragon_allowed('events', 'aaaa') THEN RAISE EXCEPTION 'b should not allow aaaa'; END IF;
  RAISE NOTICE 'simple expressions follow the setting';
END $$;
DROP FUNCTION sup_flip(text);
RESET request.jwt.claims;
RESET paragon.claims_source;

RESET max_parallel_workers_per_gather;
DROP FUNCTION sup_allowed_plpgsql(jsonb, text), sup_plan(text);
DROP TABLE sup_tokens, sup_rows;
