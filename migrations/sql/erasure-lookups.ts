/**
 * SQL text shared by migrations (not a migration itself: migrations/index.ts lists those).
 *
 * The erasure functions as migration 1764900000040 (ErasureLookups) creates them. ErasureScopes
 * (1764900000100) replaces both, and its `down()` restores these definitions, so both migrations
 * read them from here. Each constant is a function's signature and body, to follow
 * `CREATE FUNCTION` or `CREATE OR REPLACE FUNCTION`. Never edit them to change the schema: an
 * applied migration does not run again; a new migration states the new definition.
 */

/**
 * `erasure_scrub_facts(facts jsonb, erased_identity boolean) RETURNS jsonb`: facts with every person
 * that `erasure_suppression` names made anonymous (see ErasureLookups1764900000040).
 */
export const ERASURE_SCRUB_FACTS_1764900000040 = `erasure_scrub_facts(facts jsonb, erased_identity boolean) RETURNS jsonb
        LANGUAGE plpgsql STABLE AS $$
      DECLARE surrogate bigint;
      BEGIN
        IF jsonb_typeof(facts->'merged_by') = 'object' THEN
          IF (facts->'merged_by'->>'id') ~ '^[0-9]{1,19}$' THEN
            SELECT s.surrogate_account_id INTO surrogate FROM erasure_suppression s
             WHERE s.key_hash = erasure_key_hash('github:' || (facts->'merged_by'->>'id'));
            IF FOUND THEN
              facts := jsonb_set(facts, '{merged_by}', jsonb_build_object('id', surrogate, 'login', NULL));
            END IF;
          END IF;
          IF facts->'merged_by'->>'login' IS NOT NULL AND erasure_is_suppressed('login:' || lower(facts->'merged_by'->>'login')) THEN
            facts := jsonb_set(facts, '{merged_by,login}', 'null');
          END IF;
        END IF;
        IF ((facts->>'author_id') ~ '^[0-9]{1,19}$' AND erasure_is_suppressed('github:' || (facts->>'author_id')))
           OR (jsonb_typeof(facts->'author') = 'object'
               AND (((facts->'author'->>'id') ~ '^[0-9]{1,19}$' AND erasure_is_suppressed('github:' || (facts->'author'->>'id')))
                    OR erasure_is_suppressed('login:' || lower(facts->'author'->>'login'))))
           OR (jsonb_typeof(facts->'author') = 'string' AND erasure_is_suppressed('login:' || lower(facts->>'author'))) THEN
          facts := facts || CASE WHEN facts ? 'author_id' THEN '{"author": null, "author_id": null}'::jsonb ELSE '{"author": null}'::jsonb END;
        END IF;
        IF jsonb_typeof(facts->'login') = 'string' AND (erased_identity OR erasure_is_suppressed('login:' || lower(facts->>'login'))) THEN
          facts := facts || '{"login": null}'::jsonb;
        END IF;
        IF jsonb_typeof(facts->'full_name') = 'string'
           AND (erased_identity OR erasure_is_suppressed('login:' || lower(split_part(facts->>'full_name', '/', 1)))) THEN
          facts := facts || '{"full_name": null}'::jsonb;
        END IF;
        IF erasure_is_suppressed('login:' || erasure_merge_headline_login(facts->>'headline')) THEN
          facts := jsonb_set(facts, '{headline}', to_jsonb(regexp_replace(facts->>'headline', '^(Merge pull request #[0-9]+ from )[A-Za-z0-9-]+/.*$', '\\1(deleted member)')));
        END IF;
        RETURN facts;
      END $$;`;

/**
 * `erasure_scrub_audit(doc, refs, needles, pattern, personal, about DEFAULT false) RETURNS jsonb`: an
 * audit document with an erased member's personal values replaced (see ErasureLookups1764900000040).
 */
export const ERASURE_SCRUB_AUDIT_1764900000040 = `erasure_scrub_audit(doc jsonb, refs text[], needles text[], pattern text, personal text[], about boolean DEFAULT false)
        RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
      DECLARE
        result jsonb;
        mine boolean;
        k text;
        v jsonb;
      BEGIN
        IF doc IS NULL THEN RETURN NULL; END IF;
        CASE jsonb_typeof(doc)
        WHEN 'object' THEN
          mine := about OR EXISTS (
            SELECT 1 FROM jsonb_each(doc) AS e
             WHERE lower(replace(e.key, '_', '')) IN ('id', 'memberid', 'member', 'login', 'into', 'from', 'judge')
               AND jsonb_typeof(e.value) = 'string' AND lower(ltrim(e.value #>> '{}', '@')) = ANY(refs));
          result := '{}'::jsonb;
          FOR k, v IN SELECT e.key, e.value FROM jsonb_each(doc) AS e LOOP
            IF mine AND jsonb_typeof(v) <> 'null' AND lower(replace(k, '_', '')) = ANY(personal) THEN
              result := result || jsonb_build_object(k, '[erased]');
            ELSE
              result := result || jsonb_build_object(k, erasure_scrub_audit(v, refs, needles, pattern, personal, false));
            END IF;
          END LOOP;
          RETURN result;
        WHEN 'array' THEN
          RETURN COALESCE((SELECT jsonb_agg(erasure_scrub_audit(x.e, refs, needles, pattern, personal, false) ORDER BY x.n)
                             FROM jsonb_array_elements(doc) WITH ORDINALITY AS x(e, n)), '[]'::jsonb);
        WHEN 'string' THEN
          IF lower(ltrim(doc #>> '{}', '@')) = ANY(needles) THEN RETURN '"[erased]"'::jsonb; END IF;
          IF pattern <> '' THEN RETURN to_jsonb(regexp_replace(doc #>> '{}', pattern, '[erased]', 'gi')); END IF;
          RETURN doc;
        ELSE
          RETURN doc;
        END CASE;
      END $$;`;
