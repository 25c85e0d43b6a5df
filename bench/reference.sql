-- bench/reference.sql — what users would write without the extension: the
-- point evaluation of Paragon JWT permissions in plain PL/pgSQL over jsonb.
--
-- ref_allowed(claims, permission, integration, credential, config_ext_id)
-- follows the semantics of paragon_allowed (§1 claims, §2 scopes, §3
-- values, §4 permissions and implications, §5 targets, §6 resolution):
--
--   * NULL claims: false; no permissions claim: true (unrestricted);
--     a permissions claim given as a JSON string is parsed.
--   * Target depth is the level of the last non-NULL argument (at least
--     1); NULL members before it, and '*', are unspecified: only the
--     wildcard of their level matches them.
--   * A rule is a path of keys ending in true / false / an array.  It
--     matches when its deepest level is at most the depth and each key's
--     selector matches the member of its level (a skipped level matches
--     anything).  Credential selectors and members compare as UUIDs when
--     both are valid uuid input, else as exact text.
--   * The most specific matching rule decides: levels compared from
--     configuration up to integration, exact > wildcard > no key.  That
--     is the largest 9*c3 + 3*c2 + c1 with c = 2 exact, 1 wildcard, 0 none.
--   * No matching rule: deny.  true grants all, an array its members plus
--     settings:write => settings:read, metadata:write => metadata:read;
--     permission NULL asks for visibility (anything but deny).
--
-- The walk descends only into containers whose key matches the target,
-- which is exact (a rule matches only if every key on its path does).
-- It validates what it reads (unknown prefixes, bad nesting, bad values
-- raise errors) but is not a full claims validator; the benchmark's
-- tokens are checked with paragon_claims_valid.

\set ON_ERROR_STOP 1

-- ref_uuid: the uuid a text denotes when it is valid uuid input, else NULL
-- (uuid_in: optional braces, 32 hex digits, a hyphen after any group of 4)
CREATE OR REPLACE FUNCTION ref_uuid(s text) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN s ~ '^(\{[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}\}|[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7})$'
				THEN s::uuid END
$$;

-- ref_best: the most specific matching rule in obj (a permissions object
-- or a container whose key had level parent_level), as (score, value).
CREATE OR REPLACE FUNCTION ref_best(obj jsonb, parent_level int, cls int[],
									depth int, mem text[], mem_uuid uuid,
									OUT score int, OUT val jsonb)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	k text;
	v jsonb;
	lvl int;
	sel text;
	c int;
	s int;
	sub record;
	sel_uuid uuid;
	cc int[];
BEGIN
	score := -1;
	FOR k, v IN SELECT * FROM jsonb_each(obj) LOOP
		IF k LIKE 'integration:%' THEN
			lvl := 1; sel := substr(k, 13);
		ELSIF k LIKE 'credential:%' THEN
			lvl := 2; sel := substr(k, 12);
			IF sel LIKE 'ext:%' THEN
				RAISE EXCEPTION 'credentials cannot be selected by External ID in scope "%"', k;
			END IF;
		ELSIF k LIKE 'configuration:%' THEN
			lvl := 3; sel := substr(k, 15);
			IF sel <> '*' THEN
				IF sel NOT LIKE 'ext:%' THEN
					RAISE EXCEPTION 'unrecognized configuration scope "%"', k;
				END IF;
				sel := substr(sel, 5);
			END IF;
		ELSE
			RAISE EXCEPTION 'unrecognized scope "%"', k;
		END IF;
		IF sel = '' THEN
			RAISE EXCEPTION 'empty selector in scope "%"', k;
		END IF;
		IF lvl <= parent_level THEN
			RAISE EXCEPTION 'scope "%" nested in a scope of the same or a deeper level', k;
		END IF;
		IF jsonb_typeof(v) NOT IN ('object', 'boolean', 'array') THEN
			RAISE EXCEPTION 'invalid value for scope "%"', k;
		END IF;

		-- a rule deeper than the target never matches, nor do its descendants
		CONTINUE WHEN lvl > depth;
		IF sel = '*' THEN
			c := 1;
		ELSIF mem[lvl] IS NULL THEN
			CONTINUE;				-- unspecified member: only '*' matches
		ELSE
			IF lvl = 2 AND mem_uuid IS NOT NULL THEN
				sel_uuid := ref_uuid(sel);
				IF sel_uuid IS NOT NULL THEN
					CONTINUE WHEN sel_uuid <> mem_uuid;
				ELSE
					CONTINUE WHEN sel <> mem[lvl];
				END IF;
			ELSE
				CONTINUE WHEN sel <> mem[lvl];
			END IF;
			c := 2;
		END IF;
		cc := cls;
		cc[lvl] := c;

		IF jsonb_typeof(v) = 'object' THEN
			sub := ref_best(v, lvl, cc, depth, mem, mem_uuid);
			IF sub.score > score THEN
				score := sub.score;
				val := sub.val;
			END IF;
		ELSE
			s := 9 * cc[3] + 3 * cc[2] + cc[1];
			IF s > score THEN
				score := s;
				val := v;
			END IF;
		END IF;
	END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION ref_allowed(claims jsonb, permission text,
									   integration text DEFAULT NULL,
									   credential text DEFAULT NULL,
									   config_ext_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	perms jsonb;
	depth int;
	mem text[];
	mem_uuid uuid;
	best record;
BEGIN
	IF permission IS NOT NULL AND permission <> ALL (ARRAY[
			'credential:write', 'config:write', 'settings:read', 'settings:write',
			'metadata:read', 'metadata:write', 'proxy-api', 'events', 'workflows']) THEN
		RAISE EXCEPTION 'unrecognized permission "%"', permission;
	END IF;
	IF claims IS NULL THEN
		RETURN false;
	END IF;
	IF jsonb_typeof(claims) <> 'object' THEN
		RAISE EXCEPTION 'invalid claims: not a JSON object';
	END IF;
	perms := claims -> 'urn:useparagon:connect:permissions';
	IF perms IS NULL THEN
		IF EXISTS (SELECT 1 FROM jsonb_object_keys(claims) k
				   WHERE k LIKE 'integration:%' OR k LIKE 'credential:%' OR k LIKE 'configuration:%') THEN
			RAISE EXCEPTION 'invalid claims: scope key at the claims root'
				USING HINT = 'Scopes belong inside the permissions claim.';
		END IF;
		RETURN true;
	END IF;
	IF jsonb_typeof(perms) = 'string' THEN
		perms := (perms #>> '{}')::jsonb;
	END IF;
	IF jsonb_typeof(perms) <> 'object' THEN
		RAISE EXCEPTION 'invalid claims: the permissions claim is not an object';
	END IF;

	depth := CASE WHEN config_ext_id IS NOT NULL THEN 3
				  WHEN credential IS NOT NULL THEN 2 ELSE 1 END;
	mem := ARRAY[NULLIF(integration, '*'), NULLIF(credential, '*'), NULLIF(config_ext_id, '*')];
	IF mem[2] IS NOT NULL THEN
		mem_uuid := ref_uuid(mem[2]);
	END IF;

	best := ref_best(perms, 0, ARRAY[0, 0, 0], depth, mem, mem_uuid);
	IF best.score < 0 OR best.val = 'false'::jsonb THEN
		RETURN false;				-- no rule: deny; or a deny rule
	END IF;
	IF permission IS NULL OR best.val = 'true'::jsonb THEN
		RETURN true;
	END IF;
	RETURN best.val ? permission
		OR (permission = 'settings:read' AND best.val ? 'settings:write')
		OR (permission = 'metadata:read' AND best.val ? 'metadata:write');
END
$$;
