import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hackathons (issue 5): the event, its tracked repositories, registrations, teams and
 * submissions. Judging, contribution tracking and resource matching add their own tables in
 * later migrations.
 *
 * `hackathon`: one event of an ecosystem. `status` moves draft → registration_open → running →
 * judging → finished (the service enforces the order). `starts_at`/`ends_at` bound the event
 * window as a half-open range `[starts_at, ends_at)` of UTC instants; with `anywhere_on_earth`
 * they were computed from calendar dates (opens 00:00 at UTC+14, closes 23:59:59 at UTC−12,
 * so `ends_at` is one second after that instant) and `start_date`/`end_date` keep the dates.
 * The registration window is `[registration_opens_at, registration_closes_at)`, both optional.
 * Label rules: `opt_in_label` (e.g. `hackathon-accepted`, compared case-insensitively) makes a
 * pull request count in any repository of the ecosystem; labels containing `spam` or `invalid`
 * (any case) disqualify. `tracked_topic` makes every repository with that topic tracked, next to
 * the explicit `hackathon_repository` rows. `eligibility_frozen_at` is set once, when the event
 * closes (case H1 in ../shared/cases/hackathons.md).
 *
 * `hackathon_registration`: a member registered for an event, with skills, interests and needs
 * (free tags, lower-case) and consent to e-mails. One per (hackathon, member).
 *
 * `team` / `team_member`: a member is in at most one team per hackathon (the unique index on
 * `team_member (hackathon_id, member_id)`); `invite_code` is unguessable and unique.
 *
 * `submission`: one per team; `submission_pull_request` links it to pull requests.
 */
export class Hackathons1764700000000 implements MigrationInterface {
  name = 'Hackathons1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hackathon (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ecosystem_id            integer NOT NULL REFERENCES ecosystem(id),
        slug                    text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name                    text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
        description             text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
        status                  text NOT NULL DEFAULT 'draft'
                                  CHECK (status IN ('draft', 'registration_open', 'running', 'judging', 'finished')),
        anywhere_on_earth       boolean NOT NULL DEFAULT false,
        start_date              date,
        end_date                date,
        starts_at               timestamptz NOT NULL,
        ends_at                 timestamptz NOT NULL,
        registration_opens_at   timestamptz,
        registration_closes_at  timestamptz,
        min_team_size           smallint NOT NULL DEFAULT 1 CHECK (min_team_size >= 1),
        max_team_size           smallint NOT NULL DEFAULT 5,
        opt_in_label            text CHECK (opt_in_label IS NULL OR (btrim(opt_in_label) <> '' AND length(opt_in_label) <= 100)),
        tracked_topic           text CHECK (tracked_topic IS NULL OR tracked_topic ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
        eligibility_frozen_at   timestamptz,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT hackathon_window CHECK (ends_at > starts_at),
        CONSTRAINT hackathon_registration_window CHECK (
          registration_opens_at IS NULL OR registration_closes_at IS NULL OR registration_closes_at > registration_opens_at),
        CONSTRAINT hackathon_team_sizes CHECK (max_team_size >= min_team_size AND max_team_size <= 100),
        CONSTRAINT hackathon_aoe_dates CHECK (NOT anywhere_on_earth OR (start_date IS NOT NULL AND end_date IS NOT NULL))
      );
      CREATE INDEX hackathon_ecosystem ON hackathon (ecosystem_id, starts_at DESC);

      CREATE TABLE hackathon_repository (
        hackathon_id   uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        repository_id  bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        PRIMARY KEY (hackathon_id, repository_id)
      );
      CREATE INDEX hackathon_repository_repository ON hackathon_repository (repository_id);

      CREATE TABLE hackathon_registration (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id   uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        member_id      uuid NOT NULL REFERENCES member(id),
        skills         text[] NOT NULL DEFAULT '{}',
        interests      text[] NOT NULL DEFAULT '{}',
        needs          text[] NOT NULL DEFAULT '{}',
        email_consent  boolean NOT NULL DEFAULT false,
        registered_at  timestamptz NOT NULL DEFAULT now(),
        withdrawn_at   timestamptz,
        UNIQUE (hackathon_id, member_id)
      );
      CREATE INDEX hackathon_registration_member ON hackathon_registration (member_id);

      CREATE TABLE team (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id       uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        name               text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
        invite_code        text NOT NULL UNIQUE,
        captain_member_id  uuid REFERENCES member(id),
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX team_name ON team (hackathon_id, lower(name));

      CREATE TABLE team_member (
        team_id       uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        member_id     uuid NOT NULL REFERENCES member(id),
        joined_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, member_id),
        UNIQUE (hackathon_id, member_id)
      );
      CREATE INDEX team_member_member ON team_member (member_id);

      CREATE TABLE submission (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id     uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        team_id          uuid NOT NULL UNIQUE REFERENCES team(id) ON DELETE CASCADE,
        title            text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
        description      text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
        repository_url   text CHECK (repository_url IS NULL OR length(repository_url) <= 500),
        repository_id    bigint REFERENCES repository(id) ON DELETE SET NULL,
        links            text[] NOT NULL DEFAULT '{}',
        submitted_at     timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX submission_hackathon ON submission (hackathon_id);

      CREATE TABLE submission_pull_request (
        submission_id    uuid NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
        pull_request_id  bigint NOT NULL REFERENCES pull_request(id),
        PRIMARY KEY (submission_id, pull_request_id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE submission_pull_request;
      DROP TABLE submission;
      DROP TABLE team_member;
      DROP TABLE team;
      DROP TABLE hackathon_registration;
      DROP TABLE hackathon_repository;
      DROP TABLE hackathon;
    `);
  }
}
