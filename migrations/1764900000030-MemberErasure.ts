import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member data deletion (issue 8; GDPR art. 17).
 *
 * - `member.erased_at`: set when the member's personal data was removed; the row stays as an
 *   anonymous placeholder ("Deleted member") so activities, stages, leaderboards, funnels and
 *   hackathon results keep their counts.
 * - identity platform `erased`: one identity per erased member (key = the member's id) that its
 *   activities and commits point at once its GitHub and e-mail identities are gone.
 * - `erasure_secret`: the table of the random key of `erasure_key_hash(text)` (drawn here in plain
 *   until ErasureKeySealed1764900000160, which draws it on new databases and stores it only encrypted),
 *   the keyed hash (HMAC-SHA-256 construction over `sha256`) of an identity key
 *   (`github:<account id>`, `email:<lower-cased address>`).
 * - `erasure_suppression`: the keyed hashes of an erased member's identities, and the member they
 *   map to, so a later sync, webhook or GH Archive import of the same account or address resolves
 *   to the anonymous member without storing the login, name, avatar or address again;
 *   `surrogate_account_id` is the negative id that replaced the GitHub account in pull requests,
 *   issues and facts (GitHub ids are positive, so it never collides).
 * - triggers on `git_commit` and `activity` keep what a writer stores after a deletion anonymous: a
 *   commit credited to an erased identity has no git author name, `Co-authored-by` entries naming a
 *   suppressed address lose name and address, `facts.merged_by` naming a suppressed account names
 *   its surrogate without login, an issue author's `facts.author`/`author_id` of one is cleared, and a
 *   webhook delivery naming one (an object with a login and a suppressed id, or a suppressed address)
 *   loses its payload once processed or ignored.
 * - `member_erasure`: the record of a deletion (member, who asked — `member:<id>` or
 *   `api-token:<id>` —, when requested and completed, what was removed as counts).
 */
export class MemberErasure1764900000030 implements MigrationInterface {
  name = 'MemberErasure1764900000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE member ADD COLUMN erased_at timestamptz;

      ALTER TABLE identity DROP CONSTRAINT identity_platform_check;
      ALTER TABLE identity ADD CONSTRAINT identity_platform_check
        CHECK (platform IN ('github', 'email', 'deleted', 'erased'));

      CREATE TABLE erasure_secret (
        id      boolean PRIMARY KEY DEFAULT true CHECK (id),
        secret  text NOT NULL
      );
      -- the key is no longer drawn here: ErasureKeySealed1764900000160 draws it and stores it only
      -- encrypted (databases migrated before kept the key this migration drew: 1764900000160 seals it)

      -- HMAC(K, m) = H((K xor opad) || H((K xor ipad) || m)) needs bytea xor; with a fixed-length random
      -- key, H(K || H(K || m)) has the property that matters here: without K, no one can test guesses
      CREATE FUNCTION erasure_key_hash(identity_key text) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT encode(sha256(convert_to(s.secret, 'UTF8') || sha256(convert_to(s.secret || identity_key, 'UTF8'))), 'hex')
            FROM erasure_secret s
        $$;

      CREATE SEQUENCE erased_account_seq;

      CREATE TABLE erasure_suppression (
        key_hash              text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        member_id             uuid NOT NULL REFERENCES member(id),
        surrogate_account_id  bigint CHECK (surrogate_account_id < 0),
        created_at            timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX erasure_suppression_member ON erasure_suppression (member_id);

      -- arrivals after a deletion: a commit credited to an erased identity loses its git author name, and
      -- Co-authored-by trailers naming a suppressed address lose name and address, whichever writer
      -- (sync, webhook) stores them; the WHEN clauses keep the cost off every other row
      CREATE FUNCTION git_commit_erased_authors() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM erasure_suppression) THEN RETURN NEW; END IF;
        IF NEW.author_name IS NOT NULL AND NEW.author_identity_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM identity WHERE id = NEW.author_identity_id AND platform = 'erased') THEN
          NEW.author_name := NULL;
        END IF;
        IF jsonb_typeof(NEW.co_authors) = 'array' THEN
          NEW.co_authors := (
            SELECT COALESCE(jsonb_agg(CASE WHEN EXISTS (SELECT 1 FROM erasure_suppression s
                                                         WHERE s.key_hash = erasure_key_hash('email:' || lower(btrim(x.e->>'email'))))
                                           THEN '{"name": null, "email": null, "erased": true}'::jsonb ELSE x.e END ORDER BY x.n), '[]'::jsonb)
              FROM jsonb_array_elements(NEW.co_authors) WITH ORDINALITY AS x(e, n));
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER git_commit_erased_authors BEFORE INSERT OR UPDATE OF author_name, author_identity_id, co_authors ON git_commit
        FOR EACH ROW WHEN ((NEW.author_name IS NOT NULL AND NEW.author_identity_id IS NOT NULL) OR NEW.co_authors <> '[]'::jsonb)
        EXECUTE FUNCTION git_commit_erased_authors();

      -- facts naming an erased member's account (a webhook or a pull request's details after the deletion):
      -- merged_by names the surrogate account, without login; an issue's author (author, author_id) is cleared
      CREATE FUNCTION activity_erased_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
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

      -- a delivery naming an erased member's account (an object with a login) or address, once processed
      -- or ignored, keeps no payload: the rows made from it are anonymous, the raw text would not be.
      -- Payloads jsonb cannot read (a NUL escape) are left as they are.
      CREATE FUNCTION webhook_delivery_erased_payload() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE TRIGGER webhook_delivery_erased_payload BEFORE INSERT OR UPDATE OF status ON webhook_delivery
        FOR EACH ROW WHEN (NEW.status IN ('processed', 'ignored')) EXECUTE FUNCTION webhook_delivery_erased_payload();

      CREATE TABLE member_erasure (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id     uuid NOT NULL UNIQUE REFERENCES member(id),
        requested_by  text NOT NULL CHECK (requested_by ~ '^(member|api-token):[0-9a-f-]{36}$'),
        requested_at  timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        removed       jsonb NOT NULL DEFAULT '{}'
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER webhook_delivery_erased_payload ON webhook_delivery;
      DROP FUNCTION webhook_delivery_erased_payload();
      DROP TRIGGER activity_erased_accounts ON activity;
      DROP FUNCTION activity_erased_accounts();
      DROP TRIGGER git_commit_erased_authors ON git_commit;
      DROP FUNCTION git_commit_erased_authors();
      DROP TABLE member_erasure, erasure_suppression;
      DROP SEQUENCE erased_account_seq;
      DROP FUNCTION erasure_key_hash(text);
      DROP TABLE erasure_secret;
      DELETE FROM identity WHERE platform = 'erased';
      ALTER TABLE identity DROP CONSTRAINT identity_platform_check;
      ALTER TABLE identity ADD CONSTRAINT identity_platform_check CHECK (platform IN ('github', 'email', 'deleted'));
      ALTER TABLE member DROP COLUMN erased_at;
    `);
  }
}
