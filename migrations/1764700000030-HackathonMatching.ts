import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resource matching of hackathons (issue 5): resources, requests, matching runs, allocations,
 * pins and the notifications of a published run.
 *
 * `resource`: something scarce a sponsor offers a hackathon, `capacity` whole units in all
 * (GPU hours, API credit units, dataset seats, mentor hours), at most `per_team_max` per team,
 * free `tags` (lower-case). A mentor is a resource of kind `mentor_hours` tied to the member
 * (`mentor_member_id`, required for that kind and only for it): its tags are the mentor's
 * expertise, its capacity the mentor's hours. Eligibility, kept simple: a team may receive the
 * resource only with at least `eligibility_min_team_size` members (when set) and, when
 * `eligibility_skills` is not empty, only if one of its members' registrations lists one of
 * those skills.
 *
 * `resource_request`: a team asks for `amount` units of one resource, or of each resource of a
 * `kind` (exactly one of the two), with a preference `rank` (1 = first choice, unique per team,
 * deferrable so that a reorder can swap ranks in one transaction) and tags.
 *
 * `matching_run`: one solve. status queued → running → draft (→ published | superseded), or
 * failed. At most one queued/running run per hackathon (a second start returns the first: case
 * J2 in ../shared/cases/jobs.md) and at most one published run per hackathon (publishing a
 * newer one supersedes it). `input_hash` is the SHA-256 of the canonical solver input;
 * `objective` the total utility; `progress` 0–100.
 *
 * `allocation`: a run's result, one row per (run, team, resource) — the unique key makes a
 * second execution of the same run unable to add rows. `matching_explanation`: the per-team
 * explanation of a run (also for teams that received nothing, so it is not on `allocation`).
 *
 * `allocation_pin`: an organiser's fixed allocation for the next runs of a hackathon (`units` 0
 * pins "nothing from this resource").
 *
 * `team_notification`: the outbox of what teams are told; one row per (run, team, kind), so a
 * run published twice, or two publishes racing, notify each team once. `delivered_at` is set by
 * whoever delivers it (the digest e-mail).
 */
export class HackathonMatching1764700000030 implements MigrationInterface {
  name = 'HackathonMatching1764700000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE resource (
        id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id                uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        kind                        text NOT NULL CHECK (kind IN ('gpu_hours', 'api_credits', 'dataset', 'mentor_hours', 'other')),
        name                        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
        sponsor                     text CHECK (sponsor IS NULL OR (btrim(sponsor) <> '' AND length(sponsor) <= 200)),
        capacity                    integer NOT NULL CHECK (capacity >= 0),
        per_team_max                integer NOT NULL CHECK (per_team_max >= 0),
        tags                        text[] NOT NULL DEFAULT '{}',
        mentor_member_id            uuid REFERENCES member(id),
        eligibility_min_team_size   smallint CHECK (eligibility_min_team_size IS NULL OR eligibility_min_team_size >= 1),
        eligibility_skills          text[] NOT NULL DEFAULT '{}',
        created_at                  timestamptz NOT NULL DEFAULT now(),
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT resource_mentor CHECK ((kind = 'mentor_hours') = (mentor_member_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX resource_name ON resource (hackathon_id, lower(name));
      CREATE UNIQUE INDEX resource_mentor_member ON resource (hackathon_id, mentor_member_id) WHERE mentor_member_id IS NOT NULL;

      CREATE TABLE resource_request (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        team_id       uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        resource_id   uuid REFERENCES resource(id) ON DELETE CASCADE,
        kind          text CHECK (kind IN ('gpu_hours', 'api_credits', 'dataset', 'mentor_hours', 'other')),
        amount        integer NOT NULL CHECK (amount >= 1),
        rank          smallint NOT NULL CHECK (rank >= 1),
        tags          text[] NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT resource_request_target CHECK ((resource_id IS NULL) <> (kind IS NULL)),
        CONSTRAINT resource_request_rank UNIQUE (team_id, rank) DEFERRABLE INITIALLY IMMEDIATE
      );
      CREATE INDEX resource_request_hackathon ON resource_request (hackathon_id);

      CREATE TABLE matching_run (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id   uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        status         text NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'running', 'draft', 'published', 'failed', 'superseded')),
        started_by     text,
        parent_run_id  uuid REFERENCES matching_run(id) ON DELETE SET NULL,
        input_hash     text,
        objective      bigint,
        stats          jsonb,
        progress       smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        error          text,
        attempts       integer NOT NULL DEFAULT 0,
        created_at     timestamptz NOT NULL DEFAULT now(),
        started_at     timestamptz,
        finished_at    timestamptz,
        published_at   timestamptz
      );
      CREATE INDEX matching_run_hackathon ON matching_run (hackathon_id, created_at DESC);
      CREATE UNIQUE INDEX matching_run_one_active ON matching_run (hackathon_id) WHERE status IN ('queued', 'running');
      CREATE UNIQUE INDEX matching_run_one_published ON matching_run (hackathon_id) WHERE status = 'published';

      CREATE TABLE allocation (
        run_id        uuid NOT NULL REFERENCES matching_run(id) ON DELETE CASCADE,
        team_id       uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        resource_id   uuid NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
        units         integer NOT NULL CHECK (units >= 1),
        pinned        boolean NOT NULL DEFAULT false,
        CONSTRAINT allocation_run_team_resource UNIQUE (run_id, team_id, resource_id)
      );
      CREATE INDEX allocation_team ON allocation (team_id);

      CREATE TABLE matching_explanation (
        run_id       uuid NOT NULL REFERENCES matching_run(id) ON DELETE CASCADE,
        team_id      uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        explanation  jsonb NOT NULL,
        PRIMARY KEY (run_id, team_id)
      );

      CREATE TABLE allocation_pin (
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        team_id       uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        resource_id   uuid NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
        units         integer NOT NULL CHECK (units >= 0),
        pinned_by     text,
        pinned_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (hackathon_id, team_id, resource_id)
      );

      CREATE TABLE team_notification (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        team_id       uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        run_id        uuid NOT NULL REFERENCES matching_run(id) ON DELETE CASCADE,
        kind          text NOT NULL CHECK (kind IN ('allocation_published')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        delivered_at  timestamptz,
        CONSTRAINT team_notification_once UNIQUE (run_id, team_id, kind)
      );
      CREATE INDEX team_notification_team ON team_notification (team_id, created_at DESC);
      CREATE INDEX team_notification_undelivered ON team_notification (created_at) WHERE delivered_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE team_notification;
      DROP TABLE allocation_pin;
      DROP TABLE matching_explanation;
      DROP TABLE allocation;
      DROP TABLE matching_run;
      DROP TABLE resource_request;
      DROP TABLE resource;
    `);
  }
}
