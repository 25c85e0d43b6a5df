/* sql/paragon_perm--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.4'" to load this file. \quit

-- Release 1.4.  Every object named here is schema-qualified, so that a
-- hostile search_path cannot change what this script means.

-- Built-in help: every function says what it does in \df+ and
-- obj_description().  Functions added by later sections carry theirs.
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Does the token (claims) grant permission at the target (integration, credential, configuration External ID)?  NULL permission asks whether the point is visible; NULL claims give false.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Does the token (claims) grant permission at the target?  The variant for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Is the target, or any member beneath it, visible to the token (claims)?';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Is the target, or any member beneath it, visible to the token (claims)?  The variant for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_permissions(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'The permissions the token (claims) grants at the target, implied ones included.';
COMMENT ON FUNCTION @extschema@.paragon_explain(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Why a check answers as it does: the answer, the effective value, the deciding rule and the reason, as jsonb.';
COMMENT ON FUNCTION @extschema@.paragon_claims_errors(pg_catalog.jsonb) IS
	'Every problem in a claims document, one row each, naming its JSON path; no rows when the claims are valid.';
COMMENT ON FUNCTION @extschema@.paragon_claims_valid(pg_catalog.jsonb) IS
	'Do the claims compile?  Usable in a CHECK constraint.';
COMMENT ON FUNCTION @extschema@.paragon_verify_jws(pg_catalog.text, pg_catalog.text, pg_catalog.text[]) IS
	'The payload bytes of a compact JWS whose signature verifies under key with one of the allowed algorithms; an error otherwise.';
COMMENT ON FUNCTION @extschema@.paragon_verify_token(pg_catalog.text, pg_catalog.text, pg_catalog.text[], pg_catalog.text, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool) IS
	'The claims of a verified JWT as jsonb, exactly as signed, judged at the instant "at"; an error when the signature, exp, nbf, iat or aud check fails.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Session form of paragon_allowed: checks the session''s claims (see paragon_current_claims), for row-level security policies.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Session form of paragon_allowed for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Session form of paragon_visible: checks the session''s claims, for row-level security policies.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Session form of paragon_visible for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_claims_support(pg_catalog.internal) IS
	'Planner support for the checks: lets a call whose claims cannot change during one execution recognise its compiled claims by address.';

-- Session tokens.  The token now lives in the user-settable setting
-- paragon.token (BEGIN; SET LOCAL paragon.token = '<compact JWS>'; ...),
-- verified where the claims are read.  paragon_set_token is
-- set_config('paragon.token', token, is_local) plus that verification at
-- once, and is_local now defaults to true: a token set for the session
-- outlives its transaction and is refused unless a superuser sets
-- paragon.token_lifetime = 'session'.  Same C symbol, new default.
CREATE OR REPLACE FUNCTION @extschema@.paragon_set_token(
	token pg_catalog.text,
	is_local pg_catalog.bool DEFAULT true)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME', 'paragon_set_token'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION @extschema@.paragon_set_token(pg_catalog.text, pg_catalog.bool) IS
'Sets paragon.token (for the transaction unless is_local is false) and verifies it at once with the superuser''s key; NULL clears it';
COMMENT ON FUNCTION @extschema@.paragon_clear_token() IS
'Empties paragon.token for the session: the first call of a request where paragon.token_lifetime is session';
COMMENT ON FUNCTION @extschema@.paragon_current_claims() IS
'The session''s claims: paragon.token verified with the superuser''s settings, or the setting named by paragon.claims_setting; NULL when there are none';

-- paragon_current_claims() gets the planner support function of the
-- short forms (it changes nothing in a call without arguments): planning
-- a query that reads the claims then loads the library, so the leader of
-- a parallel query records its verdict on paragon.token before it
-- launches workers.
ALTER FUNCTION @extschema@.paragon_current_claims()
	SUPPORT @extschema@.paragon_claims_support;

-- The Connected User boundary
--
-- A Paragon User Token is issued for one Connected User, named by its
-- "sub" claim, and reaches only that user's credentials and
-- configurations: a row is visible iff its Connected User is the token's
-- sub AND the permissions claim allows it.  The functions below supply
-- the first half; paragon_enable_rls writes policies with both.

-- The Connected User of explicit claims: sub when it is a non-empty
-- string, NULL when it is missing or empty (no Connected User: no row),
-- an error (22023) when it is of any other JSON type.  NULL claims give
-- NULL.  Not STRICT, like the other explicit forms.
CREATE FUNCTION @extschema@.paragon_sub(claims pg_catalog.jsonb)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'paragon_sub_claims'
LANGUAGE C IMMUTABLE PARALLEL SAFE
SUPPORT @extschema@.paragon_claims_support;

COMMENT ON FUNCTION @extschema@.paragon_sub(pg_catalog.jsonb) IS
'The Connected User (sub) of a token''s claims; NULL when the claims name none';

-- The Connected User of the session's claims (per paragon.claims_source),
-- read afresh on every call.  Policies compare the user column with it,
-- which an index scan can use.  STABLE: it reads settings.
CREATE FUNCTION @extschema@.paragon_sub()
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'paragon_sub_session'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.paragon_sub() IS
'The Connected User (sub) of the session''s claims; NULL when there are none';

-- paragon_allowed and paragon_visible against the session's claims, for a
-- row whose Connected User is the first argument: false unless it is the
-- sub of the very claims the check evaluates.  A policy's equality with
-- paragon_sub() may be an index condition, evaluated when the scan starts,
-- while these read the claims per row: comparing here means a token
-- changed inside a statement can never pair one token's sub with another
-- token's permissions.  Same support function as the other short forms.
CREATE FUNCTION @extschema@.paragon_user_allowed(
	connected_user pg_catalog.text,
	permission pg_catalog.text,
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_user_allowed'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT @extschema@.paragon_claims_support;

COMMENT ON FUNCTION @extschema@.paragon_user_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
'Is the row''s Connected User the session token''s sub, and does the token grant the permission at the target?';

CREATE FUNCTION @extschema@.paragon_user_allowed(
	connected_user pg_catalog.text,
	permission pg_catalog.text,
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_user_allowed_uuid'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT @extschema@.paragon_claims_support;

COMMENT ON FUNCTION @extschema@.paragon_user_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
'Is the row''s Connected User the session token''s sub, and does the token grant the permission at the target? (uuid credential)';

CREATE FUNCTION @extschema@.paragon_user_visible(
	connected_user pg_catalog.text,
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_user_visible'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT @extschema@.paragon_claims_support;

COMMENT ON FUNCTION @extschema@.paragon_user_visible(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
'Is the row''s Connected User the session token''s sub, and is the target or anything beneath it visible to the token?';

CREATE FUNCTION @extschema@.paragon_user_visible(
	connected_user pg_catalog.text,
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_user_visible_uuid'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT @extschema@.paragon_claims_support;

COMMENT ON FUNCTION @extschema@.paragon_user_visible(pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
'Is the row''s Connected User the session token''s sub, and is the target or anything beneath it visible to the token? (uuid credential)';

-- Write the complete set of row-level security policies for a credentials
-- table (kind 'credentials': one row per credential, identified by the
-- credential column, id by default) or a configurations table (kind
-- 'configurations': credential_id and external_id by default): four
-- PERMISSIVE policies TO PUBLIC, paragon_select, paragon_insert,
-- paragon_update and paragon_delete, each holding both halves of the
-- boundary (the row's Connected User is the session token's sub, and the
-- permissions claim allows the row):
--
--   SELECT            visibility (a credential is visible when anything
--                     beneath it is)
--   credentials       credential:write for INSERT (on the unspecified
--                     credential '*': a credential being connected has no
--                     identity yet), UPDATE (old row and new row) and DELETE
--   configurations    config:write for INSERT, UPDATE (old row and new row)
--                     and DELETE; a NULL External ID is the unspecified
--                     configuration
--
-- It enables and forces row-level security, replaces the four policies it
-- wrote before, and refuses (55000) a table with any other permissive
-- policy, which PostgreSQL would OR with them, unless force drops it.  No
-- policy holds a subquery (Citus refuses those on distributed tables).
-- Returns each statement it ran, or with dry_run would run.  SECURITY
-- INVOKER: the caller must own the table.
CREATE FUNCTION @extschema@.paragon_enable_rls(
	tbl pg_catalog.regclass,
	kind pg_catalog.text,
	user_column pg_catalog.name DEFAULT 'connected_user',
	integration_column pg_catalog.name DEFAULT 'integration',
	credential_column pg_catalog.name DEFAULT NULL,
	external_id_column pg_catalog.name DEFAULT NULL,
	dry_run pg_catalog.bool DEFAULT false,
	force pg_catalog.bool DEFAULT false)
RETURNS SETOF pg_catalog.text
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $paragon_enable_rls$
DECLARE
	rel record;
	col record;
	ext_schema pg_catalog.text;
	q_tbl pg_catalog.text;
	cred_col pg_catalog.name := credential_column;
	ext_col pg_catalog.name := external_id_column;
	boundary pg_catalog.text;
	target pg_catalog.text;
	see pg_catalog.text;
	write_old pg_catalog.text;
	write_new pg_catalog.text;
	others pg_catalog.text[];
	other pg_catalog.name;
	stmts pg_catalog.text[] := '{}';
	stmt pg_catalog.text;
BEGIN
	IF tbl IS NULL THEN
		RAISE EXCEPTION 'table must not be NULL' USING ERRCODE = '22004';
	END IF;
	SELECT c.relname, c.relkind, c.relowner, n.nspname
	  INTO rel
	  FROM pg_catalog.pg_class c
	  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	 WHERE c.oid = tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'relation with OID % does not exist', tbl::pg_catalog.oid
			USING ERRCODE = '42P01';
	END IF;

	-- ownership first: a caller who may not change the table learns nothing else
	IF NOT pg_catalog.pg_has_role(rel.relowner, 'USAGE') THEN
		RAISE EXCEPTION 'must be owner of table %', rel.relname
			USING ERRCODE = '42501',
				  HINT = 'Only the owner of a table (or a member of its owning role) can set its row-level security.';
	END IF;
	IF rel.relkind NOT IN ('r', 'p') THEN
		RAISE EXCEPTION '"%" is not a table', rel.relname USING ERRCODE = '42809';
	END IF;

	IF kind IS NULL OR kind NOT IN ('credentials', 'configurations') THEN
		RAISE EXCEPTION 'unknown kind %', COALESCE(pg_catalog.quote_literal(kind), 'NULL')
			USING ERRCODE = '22023',
				  HINT = 'kind is ''credentials'' (one row per credential) or ''configurations'' (one row per configuration).';
	END IF;
	IF user_column IS NULL OR integration_column IS NULL THEN
		RAISE EXCEPTION 'user_column and integration_column must not be NULL' USING ERRCODE = '22023';
	END IF;
	IF kind = 'credentials' THEN
		cred_col := COALESCE(cred_col, 'id');
		IF ext_col IS NOT NULL THEN
			RAISE EXCEPTION 'external_id_column applies to configurations only'
				USING ERRCODE = '22023',
					  HINT = 'Credentials are identified by their ID; a configurations table has the External ID.';
		END IF;
	ELSE
		cred_col := COALESCE(cred_col, 'credential_id');
		ext_col := COALESCE(ext_col, 'external_id');
	END IF;

	-- every column exists and has a type the checks read as the extension means
	FOR col IN
		SELECT r.role, r.colname, a.atttypid, a.attcollation, a.attnum
		  FROM (VALUES (1, 'user', user_column),
					   (2, 'integration', integration_column),
					   (3, 'credential', cred_col),
					   (4, 'external_id', ext_col)) AS r(ord, role, colname)
		  LEFT JOIN pg_catalog.pg_attribute a
			ON a.attrelid = tbl AND a.attname = r.colname
		   AND a.attnum > 0 AND NOT a.attisdropped
		 WHERE r.colname IS NOT NULL
		 ORDER BY r.ord
	LOOP
		IF col.attnum IS NULL THEN
			RAISE EXCEPTION 'column "%" of relation "%" does not exist', col.colname, rel.relname
				USING ERRCODE = '42703';
		END IF;
		IF col.role = 'credential' THEN
			IF col.atttypid NOT IN ('pg_catalog.uuid'::pg_catalog.regtype,
									'pg_catalog.text'::pg_catalog.regtype,
									'pg_catalog.varchar'::pg_catalog.regtype) THEN
				RAISE EXCEPTION 'credential column "%" has type %, not uuid or text',
					col.colname, pg_catalog.format_type(col.atttypid, NULL)
					USING ERRCODE = '42804';
			END IF;
		ELSIF col.atttypid NOT IN ('pg_catalog.text'::pg_catalog.regtype,
								   'pg_catalog.varchar'::pg_catalog.regtype) THEN
			RAISE EXCEPTION '% column "%" has type %, not text or character varying',
				col.role, col.colname, pg_catalog.format_type(col.atttypid, NULL)
				USING ERRCODE = '42804';
		ELSIF col.role = 'user' AND NOT (SELECT co.collisdeterministic
										   FROM pg_catalog.pg_collation co
										  WHERE co.oid = col.attcollation) THEN
			RAISE EXCEPTION 'user column "%" has a nondeterministic collation', col.colname
				USING ERRCODE = '42804',
					  DETAIL = 'The boundary compares Connected Users exactly, as a token''s sub is compared; an index under a case-insensitive collation would find the rows of another one.',
					  HINT = 'Give the column a deterministic collation, such as "C" or the database default.';
		END IF;
	END LOOP;

	-- any other permissive policy is OR-ed with ours and would defeat the boundary
	SELECT pg_catalog.array_agg(p.polname ORDER BY p.polname)
	  INTO others
	  FROM pg_catalog.pg_policy p
	 WHERE p.polrelid = tbl AND p.polpermissive
	   AND p.polname NOT IN ('paragon_select', 'paragon_insert', 'paragon_update', 'paragon_delete');
	IF others IS NOT NULL AND NOT force THEN
		RAISE EXCEPTION 'table "%" has other permissive policies: %', rel.relname,
			pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(o) FROM pg_catalog.unnest(others) o), ', ')
			USING ERRCODE = '55000',
				  DETAIL = 'PostgreSQL grants a row that any permissive policy allows, so these would let rows of other Connected Users through the policies paragon_enable_rls writes.',
				  HINT = 'Drop them or recreate them AS RESTRICTIVE, or pass force => true to drop them.';
	END IF;

	SELECT pg_catalog.quote_ident(n.nspname)
	  INTO ext_schema
	  FROM pg_catalog.pg_extension e
	  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
	 WHERE e.extname = 'paragon_perm';
	q_tbl := pg_catalog.quote_ident(rel.nspname) || '.' || pg_catalog.quote_ident(rel.relname);

	-- both halves in every policy: Citus copies policies to shards without
	-- AS RESTRICTIVE, so a restrictive half would become permissive there
	boundary := pg_catalog.format('%s OPERATOR(pg_catalog.=) %s.paragon_sub()',
								  pg_catalog.quote_ident(user_column), ext_schema);
	IF kind = 'credentials' THEN
		target := pg_catalog.format('%s, %s', pg_catalog.quote_ident(integration_column),
									pg_catalog.quote_ident(cred_col));
		see := pg_catalog.format('%s.paragon_user_visible(%s, %s)', ext_schema,
								 pg_catalog.quote_ident(user_column), target);
		write_old := pg_catalog.format('%s.paragon_user_allowed(%s, %L, %s)', ext_schema,
									   pg_catalog.quote_ident(user_column), 'credential:write', target);
		-- a credential being connected has no identity yet: the unspecified one
		write_new := pg_catalog.format('%s.paragon_user_allowed(%s, %L, %s, %L::pg_catalog.text)', ext_schema,
									   pg_catalog.quote_ident(user_column), 'credential:write',
									   pg_catalog.quote_ident(integration_column), '*');
	ELSE
		-- a NULL External ID is the unspecified configuration, not depth 2
		target := pg_catalog.format('%s, %s, COALESCE(%s, %L::pg_catalog.text)',
									pg_catalog.quote_ident(integration_column),
									pg_catalog.quote_ident(cred_col),
									pg_catalog.quote_ident(ext_col), '*');
		see := pg_catalog.format('%s.paragon_user_visible(%s, %s)', ext_schema,
								 pg_catalog.quote_ident(user_column), target);
		write_old := pg_catalog.format('%s.paragon_user_allowed(%s, %L, %s)', ext_schema,
									   pg_catalog.quote_ident(user_column), 'config:write', target);
		write_new := write_old;
	END IF;

	stmts := stmts
		|| pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY;', q_tbl)
		|| pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY;', q_tbl);
	IF others IS NOT NULL THEN
		FOREACH other IN ARRAY others LOOP
			stmts := stmts || pg_catalog.format('DROP POLICY %I ON %s;', other, q_tbl);
		END LOOP;
	END IF;
	-- a rerun replaces exactly the four policies written before
	FOREACH other IN ARRAY ARRAY['paragon_select', 'paragon_insert', 'paragon_update', 'paragon_delete']::pg_catalog.name[] LOOP
		IF EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = tbl AND p.polname = other) THEN
			stmts := stmts || pg_catalog.format('DROP POLICY %I ON %s;', other, q_tbl);
		END IF;
	END LOOP;
	stmts := stmts
		|| pg_catalog.format('CREATE POLICY paragon_select ON %s AS PERMISSIVE FOR SELECT TO PUBLIC USING (%s AND %s);',
							 q_tbl, boundary, see)
		|| pg_catalog.format('CREATE POLICY paragon_insert ON %s AS PERMISSIVE FOR INSERT TO PUBLIC WITH CHECK (%s AND %s);',
							 q_tbl, boundary, write_new)
		|| pg_catalog.format('CREATE POLICY paragon_update ON %s AS PERMISSIVE FOR UPDATE TO PUBLIC USING (%s AND %s) WITH CHECK (%s AND %s);',
							 q_tbl, boundary, write_old, boundary, write_old)
		|| pg_catalog.format('CREATE POLICY paragon_delete ON %s AS PERMISSIVE FOR DELETE TO PUBLIC USING (%s AND %s);',
							 q_tbl, boundary, write_old);

	FOREACH stmt IN ARRAY stmts LOOP
		IF NOT dry_run THEN
			EXECUTE stmt;
		END IF;
		RETURN NEXT stmt;
	END LOOP;
END
$paragon_enable_rls$;

COMMENT ON FUNCTION @extschema@.paragon_enable_rls(pg_catalog.regclass, pg_catalog.text, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.bool, pg_catalog.bool) IS
'Write the row-level security policies (Connected User boundary and permissions) of a credentials or configurations table; returns the statements';

-- The backend's caches behind token verification (parsed keys, verified
-- tokens): their counters, for monitoring and tests.
CREATE FUNCTION @extschema@.paragon_token_cache_stats()
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'paragon_token_cache_stats'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.paragon_token_cache_stats() IS
'Counters of this backend''s caches of verified tokens and parsed keys, as jsonb: entries, bytes, hits, misses, evictions, max_entries, max_bytes, keys.';
