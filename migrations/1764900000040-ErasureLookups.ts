import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ERASURE_SCRUB_AUDIT_1764900000040, ERASURE_SCRUB_FACTS_1764900000040 } from './sql/erasure-lookups.js';

/**
 * Member data deletion, second part (issue 8; GDPR art. 17): every fact that names a person, found
 * by index, and kept anonymous when it is written again.
 *
 * - `erasure_fact_keys(facts)`: the identity keys an activity's facts name a person by —
 *   `github:<account id>` and `login:<lower-cased login>` — from every fact that carries one:
 *   `merged_by {id, login}` (pull requests merged), `author` (issues closed: `{id, login}` from
 *   webhooks, a login with `author_id` from the API), `login` (push webhook commits: the git
 *   author's GitHub username), `full_name` (forks: `<owner login>/<name>`) and the
 *   `Merge pull request #N from <login>/<branch>` headline of merge commits. Indexed (GIN, only rows
 *   that name someone), so a deletion finds those activities without reading the table.
 * - `erasure_payload_keys(payload)`: `login:<login>` of every `"login"` field and `email:<address>`
 *   of every address-shaped text of a webhook payload; indexed (GIN) for processed and ignored
 *   deliveries only (the only ones a deletion clears), so the cost falls on the worker's status
 *   update, not on the acknowledgement path (about 2 ms per 18 KB payload on a 2-core machine: 66 payloads
 *   built from the GH Archive events of shared/data, 140 ms; bounded quantifiers cost 3 times more).
 * - `erasure_suppression` also holds `login:<lower-cased login>` keys of erased members' logins
 *   (pushes and forks name the account by login only).
 * - `erasure_scrub_facts(facts, erased_identity)`: facts with every person that `erasure_suppression`
 *   names made anonymous (merged_by → the surrogate account without login; author, login and
 *   full_name → null; the merge headline's `from <login>/<branch>` → `from (deleted member)`); with
 *   `erased_identity` (the activity is credited to an erased member) the member's own login and fork
 *   name go whatever the suppression holds. The trigger `activity_erased_accounts` applies it to every
 *   write of such facts, and the deletion to the activities it finds through the index.
 * - the trigger `webhook_delivery_erased_payload` also clears a delivery that names a suppressed
 *   login (without an id beside it).
 * - `audit_event_mentions(arguments, before, after)`: the lower-cased strings (at most 200
 *   characters, a leading `@` dropped) of an audit row's arguments, before and after, indexed (GIN)
 *   so a deletion finds the rows that name the member by id or login; `erasure_scrub_audit(...)`
 *   replaces the member's personal values there (see MemberErasureService).
 */
export class ErasureLookups1764900000040 implements MigrationInterface {
  name = 'ErasureLookups1764900000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION erasure_merge_headline_login(headline text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT lower(substring(headline FROM '^Merge pull request #[0-9]+ from ([A-Za-z0-9-]+)/'))
        $$;

      -- one array expression, so that the planner inlines it into the index and the trigger
      CREATE FUNCTION erasure_fact_keys(facts jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT array_remove(ARRAY[
            CASE WHEN jsonb_typeof(facts->'merged_by') = 'object' THEN 'github:' || (facts->'merged_by'->>'id') END,
            CASE WHEN jsonb_typeof(facts->'merged_by') = 'object' THEN 'login:' || lower(facts->'merged_by'->>'login') END,
            CASE WHEN jsonb_typeof(facts->'author_id') IN ('number', 'string') THEN 'github:' || (facts->>'author_id') END,
            CASE WHEN jsonb_typeof(facts->'author') = 'object' THEN 'github:' || (facts->'author'->>'id') END,
            CASE WHEN jsonb_typeof(facts->'author') = 'object' THEN 'login:' || lower(facts->'author'->>'login') END,
            CASE WHEN jsonb_typeof(facts->'author') = 'string' THEN 'login:' || lower(facts->>'author') END,
            CASE WHEN jsonb_typeof(facts->'login') = 'string' THEN 'login:' || lower(facts->>'login') END,
            CASE WHEN jsonb_typeof(facts->'full_name') = 'string' THEN 'login:' || lower(split_part(facts->>'full_name', '/', 1)) END,
            'login:' || erasure_merge_headline_login(facts->>'headline')
          ], NULL)
        $$;

      CREATE INDEX activity_fact_people ON activity USING gin (erasure_fact_keys(facts))
        WHERE erasure_fact_keys(facts) <> '{}';

      CREATE FUNCTION erasure_payload_keys(payload json) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT ARRAY(
            SELECT DISTINCT k FROM (
              SELECT 'login:' || lower(m[1]) AS k
                FROM regexp_matches(payload::text, '"(?:login|username)"\\s*:\\s*"([^"\\\\]+)"', 'g') AS m
              UNION ALL
              SELECT 'email:' || lower(m[1])
                FROM regexp_matches(payload::text, '([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)', 'g') AS m
            ) keys)
        $$;

      CREATE INDEX webhook_delivery_people ON webhook_delivery USING gin (erasure_payload_keys(payload))
        WHERE status IN ('processed', 'ignored');

      CREATE FUNCTION erasure_is_suppressed(identity_key text) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT identity_key IS NOT NULL AND EXISTS (SELECT 1 FROM erasure_suppression s WHERE s.key_hash = erasure_key_hash(identity_key))
        $$;

      CREATE FUNCTION ${ERASURE_SCRUB_FACTS_1764900000040}

      CREATE OR REPLACE FUNCTION activity_erased_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM erasure_suppression) THEN RETURN NEW; END IF;
        NEW.facts := erasure_scrub_facts(NEW.facts, EXISTS (SELECT 1 FROM identity WHERE id = NEW.identity_id AND platform = 'erased'));
        RETURN NEW;
      END $$;
      DROP TRIGGER activity_erased_accounts ON activity;
      CREATE TRIGGER activity_erased_accounts BEFORE INSERT OR UPDATE OF facts, identity_id ON activity
        FOR EACH ROW WHEN (erasure_fact_keys(NEW.facts) <> '{}') EXECUTE FUNCTION activity_erased_accounts();

      CREATE OR REPLACE FUNCTION webhook_delivery_erased_payload() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE doc jsonb;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM erasure_suppression) THEN RETURN NEW; END IF;
        IF EXISTS (SELECT 1 FROM unnest(erasure_payload_keys(NEW.payload)) AS k JOIN erasure_suppression s ON s.key_hash = erasure_key_hash(k)) THEN
          NEW.payload := '{"removed": "personal data deleted"}'::json;
          RETURN NEW;
        END IF;
        BEGIN
          doc := NEW.payload::jsonb;
        EXCEPTION WHEN others THEN
          RETURN NEW;
        END;
        IF EXISTS (
             SELECT 1 FROM (
               SELECT 'github:' || (v #>> '{}') AS k FROM jsonb_path_query(doc, 'lax $.**?(exists(@.login)).id') AS v
               UNION
               SELECT 'email:' || lower(btrim(v #>> '{}')) FROM jsonb_path_query(doc, 'lax $.**.email') AS v WHERE jsonb_typeof(v) = 'string'
             ) keys JOIN erasure_suppression s ON s.key_hash = erasure_key_hash(keys.k)) THEN
          NEW.payload := '{"removed": "personal data deleted"}'::json;
        END IF;
        RETURN NEW;
      END $$;

      CREATE FUNCTION audit_event_mentions(arguments jsonb, before jsonb, after jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT ARRAY(
            SELECT DISTINCT lower(ltrim(v #>> '{}', '@'))
              FROM (VALUES (arguments), (before), (after)) AS d(doc),
                   jsonb_path_query(COALESCE(d.doc, 'null'), 'strict $.**') AS v
             WHERE jsonb_typeof(v) = 'string' AND length(v #>> '{}') BETWEEN 1 AND 200)
        $$;

      CREATE INDEX audit_event_mentions ON audit_event USING gin (audit_event_mentions(arguments, before, after));

      -- an audit document with an erased member's personal values replaced: a string that is one of
      -- \`needles\` (logins, names, addresses; lower-case, a leading @ aside) becomes "[erased]", and
      -- \`pattern\` (the logins as words) is replaced inside longer strings; in an object about the
      -- member (\`about\`, or a key naming the member: id, memberId, member_id, member, login, into,
      -- from, judge with one of \`refs\`) the values of personal keys (\`personal\`, compared lower-case
      -- without underscores) become "[erased]". Ids are kept: they name no one outside Cambrian.
      CREATE FUNCTION ${ERASURE_SCRUB_AUDIT_1764900000040}
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION erasure_scrub_audit(jsonb, text[], text[], text, text[], boolean);
      DROP INDEX audit_event_mentions;
      DROP FUNCTION audit_event_mentions(jsonb, jsonb, jsonb);
      DROP TRIGGER activity_erased_accounts ON activity;
      CREATE OR REPLACE FUNCTION activity_erased_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE surrogate bigint;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM erasure_suppression) THEN RETURN NEW; END IF;
        IF jsonb_typeof(NEW.facts->'merged_by') = 'object' AND (NEW.facts->'merged_by'->>'id') ~ '^[0-9]{1,19}$' THEN
          SELECT s.surrogate_account_id INTO surrogate FROM erasure_suppression s
           WHERE s.key_hash = erasure_key_hash('github:' || (NEW.facts->'merged_by'->>'id'));
          IF FOUND THEN
            NEW.facts := jsonb_set(NEW.facts, '{merged_by}', jsonb_build_object('id', surrogate, 'login', NULL));
          END IF;
        END IF;
        IF (NEW.facts->>'author_id') ~ '^[0-9]{1,19}$' AND EXISTS (
             SELECT 1 FROM erasure_suppression s WHERE s.key_hash = erasure_key_hash('github:' || (NEW.facts->>'author_id'))) THEN
          NEW.facts := NEW.facts || '{"author": null, "author_id": null}'::jsonb;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER activity_erased_accounts BEFORE INSERT OR UPDATE OF facts ON activity
        FOR EACH ROW WHEN (NEW.facts ? 'merged_by' OR NEW.facts ? 'author_id') EXECUTE FUNCTION activity_erased_accounts();
      CREATE OR REPLACE FUNCTION webhook_delivery_erased_payload() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE doc jsonb;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM erasure_suppression) THEN RETURN NEW; END IF;
        BEGIN
          doc := NEW.payload::jsonb;
        EXCEPTION WHEN others THEN
          RETURN NEW;
        END;
        IF EXISTS (
             SELECT 1 FROM (
               SELECT 'github:' || (v #>> '{}') AS k FROM jsonb_path_query(doc, 'lax $.**?(exists(@.login)).id') AS v
               UNION
               SELECT 'email:' || lower(btrim(v #>> '{}')) FROM jsonb_path_query(doc, 'lax $.**.email') AS v WHERE jsonb_typeof(v) = 'string'
             ) keys JOIN erasure_suppression s ON s.key_hash = erasure_key_hash(keys.k)) THEN
          NEW.payload := '{"removed": "personal data deleted"}'::json;
        END IF;
        RETURN NEW;
      END $$;
      DROP FUNCTION erasure_scrub_facts(jsonb, boolean);
      DROP FUNCTION erasure_is_suppressed(text);
      DROP INDEX webhook_delivery_people;
      DROP FUNCTION erasure_payload_keys(json);
      DROP INDEX activity_fact_people;
      DROP FUNCTION erasure_fact_keys(jsonb);
      DROP FUNCTION erasure_merge_headline_login(text);
    `);
  }
}
