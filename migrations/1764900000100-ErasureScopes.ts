import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ERASURE_SCRUB_AUDIT_1764900000040, ERASURE_SCRUB_FACTS_1764900000040 } from './sql/erasure-lookups.js';

/**
 * Member data deletion, third part (issue 8; GDPR art. 17): what a deletion clears and scrubs, each
 * kept to what is the member's.
 *
 * - Failed webhook deliveries: a delivery whose last attempt failed keeps its payload (an admin may
 *   replay it), so it is the member's data as much as a processed one's. The deletion clears
 *   `failed` deliveries too (`webhook_delivery_people` now indexes them), and the trigger
 *   `webhook_delivery_erased_payload` also fires when a delivery that was waiting during the deletion
 *   ends `failed`.
 * - `erasure_scrub_facts`: GitHub gives a released login to later accounts, so a fact that names an
 *   account by id (`merged_by.id`, `author_id`, `author.id`) is scrubbed when that id is an erased
 *   member's, and only then; the suppressed logins decide only for facts without an id (push commit
 *   `login`, fork `full_name`, `author` given as a login alone, merge headlines).
 * - `erasure_scrub_audit(doc, refs, needles, pattern, personal, about, in_scope)`: a string equal to
 *   one of the member's values (or containing a login as a word) is replaced only inside the rows about
 *   the member (their actor, or a member target naming them: `in_scope`) or inside an object that names
 *   the member (`id`, `memberId`, `member`, `login`, `into`, `from`, `judge` with one of `refs`); an
 *   audit row about something else that shares the word (an ecosystem slug equal to the login) stays
 *   as written. The six-argument form remains, delegating with `in_scope = about`.
 */
export class ErasureScopes1764900000100 implements MigrationInterface {
  name = 'ErasureScopes1764900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX webhook_delivery_people;
      CREATE INDEX webhook_delivery_people ON webhook_delivery USING gin (erasure_payload_keys(payload))
        WHERE status IN ('processed', 'ignored', 'failed');
      DROP TRIGGER webhook_delivery_erased_payload ON webhook_delivery;
      CREATE TRIGGER webhook_delivery_erased_payload BEFORE INSERT OR UPDATE OF status ON webhook_delivery
        FOR EACH ROW WHEN (NEW.status IN ('processed', 'ignored', 'failed')) EXECUTE FUNCTION webhook_delivery_erased_payload();

      CREATE OR REPLACE FUNCTION erasure_scrub_facts(facts jsonb, erased_identity boolean) RETURNS jsonb
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
          ELSIF facts->'merged_by'->>'login' IS NOT NULL AND erasure_is_suppressed('login:' || lower(facts->'merged_by'->>'login')) THEN
            facts := jsonb_set(facts, '{merged_by,login}', 'null');
          END IF;
        END IF;
        IF (CASE
             WHEN (facts->>'author_id') ~ '^[0-9]{1,19}$' THEN erasure_is_suppressed('github:' || (facts->>'author_id'))
             WHEN jsonb_typeof(facts->'author') = 'object' AND (facts->'author'->>'id') ~ '^[0-9]{1,19}$'
               THEN erasure_is_suppressed('github:' || (facts->'author'->>'id'))
             WHEN jsonb_typeof(facts->'author') = 'object' THEN erasure_is_suppressed('login:' || lower(facts->'author'->>'login'))
             WHEN jsonb_typeof(facts->'author') = 'string' THEN erasure_is_suppressed('login:' || lower(facts->>'author'))
             ELSE false
           END) THEN
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
      END $$;

      -- in_scope: the document's strings may be the member's values (the row is about the member, or
      -- an enclosing object names the member); elsewhere a string equal to a login is someone else's
      -- word (an ecosystem slug, a label) and stays as written
      CREATE FUNCTION erasure_scrub_audit(doc jsonb, refs text[], needles text[], pattern text, personal text[], about boolean, in_scope boolean)
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
              result := result || jsonb_build_object(k, erasure_scrub_audit(v, refs, needles, pattern, personal, false, in_scope OR mine));
            END IF;
          END LOOP;
          RETURN result;
        WHEN 'array' THEN
          RETURN COALESCE((SELECT jsonb_agg(erasure_scrub_audit(x.e, refs, needles, pattern, personal, false, in_scope) ORDER BY x.n)
                             FROM jsonb_array_elements(doc) WITH ORDINALITY AS x(e, n)), '[]'::jsonb);
        WHEN 'string' THEN
          IF NOT in_scope THEN RETURN doc; END IF;
          IF lower(ltrim(doc #>> '{}', '@')) = ANY(needles) THEN RETURN '"[erased]"'::jsonb; END IF;
          IF pattern <> '' THEN RETURN to_jsonb(regexp_replace(doc #>> '{}', pattern, '[erased]', 'gi')); END IF;
          RETURN doc;
        ELSE
          RETURN doc;
        END CASE;
      END $$;

      -- the former entry point: the document scrubbed as the arguments of a row about the member or not
      CREATE OR REPLACE FUNCTION erasure_scrub_audit(doc jsonb, refs text[], needles text[], pattern text, personal text[], about boolean DEFAULT false)
        RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
          SELECT erasure_scrub_audit(doc, refs, needles, pattern, personal, about, about)
        $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION erasure_scrub_audit(jsonb, text[], text[], text, text[], boolean);
      DROP FUNCTION erasure_scrub_audit(jsonb, text[], text[], text, text[], boolean, boolean);
      CREATE FUNCTION ${ERASURE_SCRUB_AUDIT_1764900000040}

      CREATE OR REPLACE FUNCTION ${ERASURE_SCRUB_FACTS_1764900000040}
      DROP TRIGGER webhook_delivery_erased_payload ON webhook_delivery;
      CREATE TRIGGER webhook_delivery_erased_payload BEFORE INSERT OR UPDATE OF status ON webhook_delivery
        FOR EACH ROW WHEN (NEW.status IN ('processed', 'ignored')) EXECUTE FUNCTION webhook_delivery_erased_payload();
      DROP INDEX webhook_delivery_people;
      CREATE INDEX webhook_delivery_people ON webhook_delivery USING gin (erasure_payload_keys(payload))
        WHERE status IN ('processed', 'ignored');
    `);
  }
}
