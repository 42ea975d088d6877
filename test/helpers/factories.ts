/**
 * Small factories that build rows with plain SQL, for integration and GraphQL tests. Each
 * returns the keys it created; defaults are unique per call, so tests never collide.
 */

/** Anything that runs a parameterised query (a `pg.Pool`, `pg.Client`). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

let sequence = 0;
/** A number unique within this test process (ids, names). */
export function nextSeq(): number {
  sequence += 1;
  return sequence;
}

export async function createEcosystem(db: Queryable, fields: { slug?: string; name?: string } = {}): Promise<number> {
  const n = nextSeq();
  const { rows } = await db.query(`INSERT INTO ecosystem (slug, name) VALUES ($1, $2) RETURNING id`, [
    fields.slug ?? `eco-${n}`,
    fields.name ?? `Ecosystem ${n}`,
  ]);
  return rows[0].id;
}

export async function createTrackedSource(
  db: Queryable,
  fields: { ecosystemId: number; kind?: 'organization' | 'user' | 'repository'; name?: string },
): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO tracked_source (ecosystem_id, kind, name) VALUES ($1, $2, $3) RETURNING id`,
    [fields.ecosystemId, fields.kind ?? 'organization', fields.name ?? `org-${nextSeq()}`],
  );
  return rows[0].id;
}

/**
 * A repository (GitHub id from `id`, else a unique one). With `trackedSourceId` it is linked as
 * discovered by that source (and so belongs to the source's ecosystem).
 */
export async function createRepository(
  db: Queryable,
  fields: { id?: number; owner?: string; name?: string; ecosystemId?: number | null; trackedSourceId?: number } = {},
): Promise<number> {
  const n = nextSeq();
  const id = fields.id ?? 700_000_000 + n;
  const owner = fields.owner ?? `owner${n}`;
  const name = fields.name ?? `repo${n}`;
  await db.query(
    `INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, $3, $4, $5)`,
    [id, fields.ecosystemId ?? null, owner, name, `${owner}/${name}`],
  );
  if (fields.trackedSourceId !== undefined) {
    await db.query(`INSERT INTO tracked_source_repository (tracked_source_id, repository_id) VALUES ($1, $2)`, [
      fields.trackedSourceId,
      id,
    ]);
  }
  return id;
}

/** A member with its main identity, as identity resolution would create them. */
export interface CreatedMember {
  memberId: string;
  identityId: string;
  githubAccountId: number | null;
}

/**
 * A member. `person` and `bot` members get a GitHub account (type User/Bot) and a github
 * identity; `deleted` is the one deleted-user sentinel (created once, then reused); with
 * `email` and no login, a member known only from git history (an e-mail identity).
 */
export async function createMember(
  db: Queryable,
  fields: {
    kind?: 'person' | 'bot' | 'deleted';
    login?: string | null;
    displayName?: string | null;
    githubAccountId?: number;
    email?: string;
    avatarUrl?: string;
  } = {},
): Promise<CreatedMember> {
  const kind = fields.kind ?? 'person';
  if (kind === 'deleted') {
    const member = await db.query(
      `INSERT INTO member (kind, display_name, login) VALUES ('deleted', 'Deleted user', 'ghost')
       ON CONFLICT (kind) WHERE kind = 'deleted' DO UPDATE SET updated_at = member.updated_at RETURNING id`,
    );
    const memberId = member.rows[0].id;
    const identity = await db.query(
      `INSERT INTO identity (member_id, platform, key, display_name) VALUES ($1, 'deleted', 'ghost', 'Deleted user')
       ON CONFLICT (platform, key) DO UPDATE SET display_name = identity.display_name RETURNING id`,
      [memberId],
    );
    return { memberId, identityId: identity.rows[0].id, githubAccountId: null };
  }
  const n = nextSeq();
  if (fields.login === null || (fields.email && fields.login === undefined && fields.githubAccountId === undefined)) {
    const email = (fields.email ?? `dev${n}@example.org`).toLowerCase();
    const member = await db.query(`INSERT INTO member (kind, display_name) VALUES ($1, $2) RETURNING id`, [
      kind,
      fields.displayName ?? `Dev ${n}`,
    ]);
    const memberId = member.rows[0].id;
    const identity = await db.query(
      `INSERT INTO identity (member_id, platform, key, display_name) VALUES ($1, 'email', $2, $3) RETURNING id`,
      [memberId, email, fields.displayName ?? `Dev ${n}`],
    );
    return { memberId, identityId: identity.rows[0].id, githubAccountId: null };
  }
  const login = fields.login ?? (kind === 'bot' ? `helper${n}[bot]` : `user${n}`);
  const accountId = fields.githubAccountId ?? 5_000_000 + n;
  const member = await db.query(`INSERT INTO member (kind, display_name, login) VALUES ($1, $2, $3) RETURNING id`, [
    kind,
    fields.displayName ?? login,
    login,
  ]);
  const memberId = member.rows[0].id;
  await db.query(
    `INSERT INTO github_account (id, login, type, name, avatar_url, member_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [accountId, login, kind === 'bot' ? 'Bot' : 'User', fields.displayName ?? null, fields.avatarUrl ?? null, memberId],
  );
  const identity = await db.query(
    `INSERT INTO identity (member_id, platform, key, github_account_id, display_name) VALUES ($1, 'github', $2, $3, $4)
     RETURNING id`,
    [memberId, String(accountId), accountId, fields.displayName ?? login],
  );
  if (fields.email) await addEmailIdentity(db, memberId, fields.email, fields.displayName ?? login);
  return { memberId, identityId: identity.rows[0].id, githubAccountId: accountId };
}

/** An e-mail identity GitHub linked to a member (`evidence: api`). */
export async function addEmailIdentity(
  db: Queryable,
  memberId: string,
  email: string,
  displayName: string | null = null,
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO identity (member_id, platform, key, display_name, evidence) VALUES ($1, 'email', $2, $3, 'api') RETURNING id`,
    [memberId, email.toLowerCase(), displayName],
  );
  return rows[0].id;
}

/** One activity to create; `sourceKey` defaults to a unique key. */
export interface ActivityFields {
  member: CreatedMember;
  repositoryId: number;
  type?: string;
  /** UTC instant (Date or ISO string). */
  occurredAt: Date | string;
  sourceKey?: string;
  facts?: Record<string, unknown>;
  removedAt?: Date | string | null;
}

/** Creates activities in one statement; returns their ids in order. */
export async function createActivities(db: Queryable, activities: ActivityFields[]): Promise<string[]> {
  if (activities.length === 0) return [];
  const { rows } = await db.query(
    `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts, removed_at)
     SELECT t.type, t.occurred_at, t.repository_id, t.identity_id, t.member_id, 'api', t.source_key, t.facts, t.removed_at
       FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::jsonb[], $8::timestamptz[])
            WITH ORDINALITY AS t(type, occurred_at, repository_id, identity_id, member_id, source_key, facts, removed_at, ord)
      ORDER BY t.ord
     RETURNING id::text AS id`,
    [
      activities.map((a) => a.type ?? 'commit'),
      activities.map((a) => new Date(a.occurredAt).toISOString()),
      activities.map((a) => a.repositoryId),
      activities.map((a) => a.member.identityId),
      activities.map((a) => a.member.memberId),
      activities.map((a) => a.sourceKey ?? `test:${nextSeq()}:${Math.random().toString(36).slice(2)}`),
      activities.map((a) => JSON.stringify(a.facts ?? {})),
      activities.map((a) => (a.removedAt ? new Date(a.removedAt).toISOString() : null)),
    ],
  );
  return rows.map((row) => row.id);
}

/** `count` activities of one type, one hour apart going back from `latest`. */
export function activitySeries(
  member: CreatedMember,
  repositoryId: number,
  count: number,
  latest: Date | string,
  type = 'commit',
): ActivityFields[] {
  const end = new Date(latest).getTime();
  return Array.from({ length: count }, (_, index) => ({
    member,
    repositoryId,
    type,
    occurredAt: new Date(end - index * 3_600_000),
  }));
}
