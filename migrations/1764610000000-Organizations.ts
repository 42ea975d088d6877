import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations and members' affiliations with them (issue 4, "Organisations and affiliation").
 *
 * `organization`: a company, university or other body. `domains` are lower-case e-mail domains
 * that belong to it (never a public webmail domain; Cambrian refuses those). `is_customer` says
 * whether it pays (funnels and metrics filter on non-paying organisations).
 *
 * `affiliation`: a member was with an organisation over the half-open range
 * `[starts_at, ends_at)` of UTC instants; NULL `starts_at` is an open start, NULL `ends_at` an
 * open end. `source` says where it came from: `profile` (the GitHub profile's company field),
 * `email_domain` (the domain of the member's commit e-mail identities) or `manual` (an admin).
 * Automatic rows (`profile`, `email_domain`) are recomputed by a job; manual rows are only
 * changed by an admin. `precedence` (0 manual, 1 e-mail domain, 2 profile) decides which
 * affiliation credits a contribution when several cover its instant: manual overrides
 * automatic for the dates they overlap. `evidence` holds what an automatic row was derived
 * from (domain, company text, first and last activity seen).
 *
 * `github_account.company`: the profile's free-text company field (GitHub REST "Get a user",
 * `company`), NULL when unknown or empty.
 */
export class Organizations1764610000000 implements MigrationInterface {
  name = 'Organizations1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organization (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL CHECK (btrim(name) <> ''),
        domains      text[] NOT NULL DEFAULT '{}',
        is_customer  boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX organization_name ON organization (lower(name));
      CREATE INDEX organization_domains ON organization USING gin (domains);
      CREATE INDEX organization_customer ON organization (id) WHERE is_customer;

      CREATE TABLE affiliation (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id        uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        organization_id  uuid NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
        starts_at        timestamptz,
        ends_at          timestamptz,
        source           text NOT NULL CHECK (source IN ('profile', 'email_domain', 'manual')),
        precedence       smallint NOT NULL GENERATED ALWAYS AS (
                           CASE source WHEN 'manual' THEN 0 WHEN 'email_domain' THEN 1 ELSE 2 END
                         ) STORED,
        evidence         jsonb NOT NULL DEFAULT '{}',
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT affiliation_range CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
      );
      CREATE INDEX affiliation_member ON affiliation (member_id, precedence, starts_at DESC NULLS LAST);
      CREATE INDEX affiliation_organization ON affiliation (organization_id, member_id);

      ALTER TABLE github_account ADD COLUMN company text;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE github_account DROP COLUMN company;
      DROP TABLE affiliation;
      DROP TABLE organization;
    `);
  }
}
