import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first cut of Cambrian's schema: ecosystems and their tracked sources, repositories
 * (keyed by GitHub's numeric id), GitHub accounts, members and their identities, commits,
 * pull requests, issues, activities (unique by source key), webhook deliveries, sync
 * state per (repository, resource), and API tokens (hashes only).
 * Every timestamp column is timestamptz.
 */
export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ecosystem (
        id          serial PRIMARY KEY,
        slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
        name        text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE tracked_source (
        id            serial PRIMARY KEY,
        ecosystem_id  integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        kind          text NOT NULL CHECK (kind IN ('organization', 'user', 'repository')),
        name          text NOT NULL,
        paused        boolean NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX tracked_source_unique ON tracked_source (ecosystem_id, kind, lower(name));

      CREATE TABLE repository (
        id              bigint PRIMARY KEY,
        ecosystem_id    integer REFERENCES ecosystem(id) ON DELETE SET NULL,
        owner           text NOT NULL,
        name            text NOT NULL,
        full_name       text NOT NULL,
        default_branch  text,
        is_fork         boolean NOT NULL DEFAULT false,
        is_archived     boolean NOT NULL DEFAULT false,
        stargazers_count integer,
        forks_count     integer,
        created_at      timestamptz,
        pushed_at       timestamptz,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX repository_full_name ON repository (lower(full_name));
      CREATE INDEX repository_ecosystem ON repository (ecosystem_id);

      CREATE TABLE member (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind          text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'bot', 'deleted')),
        display_name  text,
        login         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX member_login ON member (lower(login));
      -- one sentinel member for every deleted GitHub account ("ghost", user: null)
      CREATE UNIQUE INDEX member_one_deleted_sentinel ON member (kind) WHERE kind = 'deleted';

      CREATE TABLE github_account (
        id          bigint PRIMARY KEY,
        login       text NOT NULL,
        type        text NOT NULL CHECK (type IN ('User', 'Bot', 'Organization', 'Mannequin')),
        name        text,
        avatar_url  text,
        member_id   uuid REFERENCES member(id) ON DELETE SET NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX github_account_login ON github_account (lower(login));
      CREATE INDEX github_account_member ON github_account (member_id);

      CREATE TABLE identity (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id          uuid NOT NULL REFERENCES member(id),
        platform           text NOT NULL CHECK (platform IN ('github', 'email', 'deleted')),
        key                text NOT NULL,
        github_account_id  bigint REFERENCES github_account(id),
        display_name       text,
        -- how the identity was tied to its member: 'api' (GitHub linked it), 'noreply' (parsed
        -- from a users.noreply.github.com address), 'login' (inferred from a login), 'self'
        evidence           text NOT NULL DEFAULT 'self',
        created_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, key)
      );
      CREATE INDEX identity_member ON identity (member_id);

      CREATE TABLE git_commit (
        sha                 text PRIMARY KEY CHECK (sha ~ '^[0-9a-f]{40}$'),
        repository_id       bigint NOT NULL REFERENCES repository(id),
        author_identity_id  uuid REFERENCES identity(id),
        author_name         text,
        authored_at         timestamptz NOT NULL,
        committed_at        timestamptz,
        message_headline    text NOT NULL DEFAULT '',
        co_authors          jsonb NOT NULL DEFAULT '[]',
        is_merge            boolean NOT NULL DEFAULT false
      );

      -- a commit is one contribution however many repositories contain it
      CREATE TABLE git_commit_repository (
        sha            text NOT NULL REFERENCES git_commit(sha) ON DELETE CASCADE,
        repository_id  bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        PRIMARY KEY (sha, repository_id)
      );

      CREATE TABLE pull_request (
        id                 bigint PRIMARY KEY,
        repository_id      bigint NOT NULL REFERENCES repository(id),
        number             integer NOT NULL,
        title              text NOT NULL DEFAULT '',
        state              text NOT NULL CHECK (state IN ('open', 'closed')),
        author_account_id  bigint REFERENCES github_account(id),
        merged             boolean NOT NULL DEFAULT false,
        merged_at          timestamptz,
        merged_by_account_id bigint REFERENCES github_account(id),
        head_sha           text,
        head_ref           text,
        base_ref           text,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        closed_at          timestamptz,
        UNIQUE (repository_id, number)
      );

      CREATE TABLE issue (
        id                 bigint PRIMARY KEY,
        repository_id      bigint NOT NULL REFERENCES repository(id),
        number             integer NOT NULL,
        title              text NOT NULL DEFAULT '',
        state              text NOT NULL CHECK (state IN ('open', 'closed')),
        author_account_id  bigint REFERENCES github_account(id),
        labels             text[] NOT NULL DEFAULT '{}',
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        closed_at          timestamptz,
        UNIQUE (repository_id, number)
      );

      CREATE TABLE activity (
        id             bigserial PRIMARY KEY,
        type           text NOT NULL CHECK (type IN (
                         'commit', 'pull_request_opened', 'pull_request_merged', 'pull_request_closed',
                         'pull_request_reopened', 'review', 'review_comment', 'issue_opened',
                         'issue_closed', 'issue_reopened', 'issue_comment', 'star', 'fork',
                         'release', 'discussion')),
        occurred_at    timestamptz NOT NULL,
        repository_id  bigint NOT NULL REFERENCES repository(id),
        identity_id    uuid NOT NULL REFERENCES identity(id),
        member_id      uuid NOT NULL REFERENCES member(id),
        source         text NOT NULL CHECK (source IN ('webhook', 'api', 'gharchive')),
        source_key     text NOT NULL UNIQUE,
        facts          jsonb NOT NULL DEFAULT '{}',
        removed_at     timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX activity_member_time ON activity (member_id, occurred_at DESC);
      CREATE INDEX activity_repository_time ON activity (repository_id, occurred_at DESC);
      CREATE INDEX activity_time ON activity (occurred_at DESC);

      CREATE TABLE webhook_delivery (
        id               bigserial PRIMARY KEY,
        delivery_id      text NOT NULL UNIQUE,
        event            text NOT NULL,
        action           text,
        hook_id          bigint,
        installation_id  bigint,
        repository_id    bigint,
        received_at      timestamptz NOT NULL DEFAULT now(),
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'received'
                           CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        error            text,
        processed_at     timestamptz
      );
      CREATE INDEX webhook_delivery_status ON webhook_delivery (status, received_at);

      CREATE TABLE sync_state (
        repository_id     bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        resource          text NOT NULL,
        cursor            jsonb NOT NULL DEFAULT '{}',
        etag              text,
        status            text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'running', 'failed')),
        last_started_at   timestamptz,
        last_success_at   timestamptz,
        last_error        text,
        requests          bigint NOT NULL DEFAULT 0,
        not_modified      bigint NOT NULL DEFAULT 0,
        items             bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (repository_id, resource)
      );

      CREATE TABLE api_token (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        role        text NOT NULL CHECK (role IN ('admin')),
        token_hash  text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz,
        revoked_at  timestamptz,
        last_used_at timestamptz
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE api_token, sync_state, webhook_delivery, activity, issue, pull_request,
        git_commit_repository, git_commit, identity, github_account, member, repository,
        tracked_source, ecosystem;
    `);
  }
}
