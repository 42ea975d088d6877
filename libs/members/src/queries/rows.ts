import type { ActivitySource, ActivityType } from '../activity.entity.js';
import type { MemberKind } from '../member.entity.js';
import { activityDetails } from './activity-details.js';
import type { ActivityView, MemberView, RepositoryView } from './read-model.types.js';

/**
 * Member columns for a query with `member m`: the member and its most recently updated GitHub
 * account (a LATERAL lookup on `github_account_member`). Use with {@link MEMBER_ACCOUNT_JOIN}.
 */
export const MEMBER_COLUMNS = `m.id AS member_id, m.kind AS member_kind, m.login AS member_login,
  m.display_name AS member_display_name, m.created_at AS member_created_at,
  ga.id AS member_github_account_id, ga.avatar_url AS member_avatar_url`;

/** The LATERAL join behind {@link MEMBER_COLUMNS}. */
export const MEMBER_ACCOUNT_JOIN = `LEFT JOIN LATERAL (
  SELECT id, avatar_url FROM github_account WHERE member_id = m.id ORDER BY updated_at DESC, id LIMIT 1
) ga ON TRUE`;

/** A row carrying {@link MEMBER_COLUMNS}. */
export interface MemberRow {
  member_id: string;
  member_kind: MemberKind;
  member_login: string | null;
  member_display_name: string | null;
  member_created_at: Date;
  member_github_account_id: string | null;
  member_avatar_url: string | null;
}

export function toMemberView(row: MemberRow): MemberView {
  return {
    id: row.member_id,
    kind: row.member_kind,
    login: row.member_login,
    displayName: row.member_display_name,
    githubAccountId: row.member_github_account_id === null ? null : Number(row.member_github_account_id),
    avatarUrl: row.member_avatar_url,
    createdAt: row.member_created_at,
  };
}

/**
 * Activity columns for a query with `activity a`. `occurred_at_text` keeps Postgres'
 * microseconds for cursors (a JS Date has milliseconds only).
 */
export const ACTIVITY_COLUMNS = `a.id::text AS id, a.type, a.occurred_at, to_json(a.occurred_at) #>> '{}' AS occurred_at_text,
  a.repository_id::text AS repository_id, a.member_id, a.source, a.source_key, a.facts,
  ${repositoryOwnerErasedSql('a')} AS repository_owner_erased`;

/**
 * A SQL expression true when the activity `alias` is credited to an erased member (`member.erased_at`)
 * and happened in a repository whose owner is one of that member's erased logins (the keyed hash of
 * `login:<owner>` is in `erasure_suppression`; hashes are all Cambrian keeps of those logins, so any
 * erased member's login counts). Answers about that activity then withhold the repository's name
 * (README "Your data: export and deletion"): the repository row keeps it, for the sync.
 */
export function repositoryOwnerErasedSql(alias: string): string {
  return `COALESCE((SELECT erasure_is_suppressed('login:' || lower(r_owner.owner))
      FROM member m_owner JOIN repository r_owner ON r_owner.id = ${alias}.repository_id
     WHERE m_owner.id = ${alias}.member_id AND m_owner.erased_at IS NOT NULL), false)`;
}

export interface ActivityRow {
  id: string;
  type: ActivityType;
  occurred_at: Date;
  occurred_at_text: string;
  repository_id: string;
  member_id: string;
  source: ActivitySource;
  source_key: string;
  facts: Record<string, unknown> | null;
  repository_owner_erased: boolean | null;
}

export function toActivityView(row: ActivityRow): ActivityView {
  const details = activityDetails(row.source_key, row.facts);
  const ownerErased = row.repository_owner_erased === true;
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at,
    repositoryId: Number(row.repository_id),
    memberId: row.member_id,
    source: row.source,
    ...details,
    // a GitHub link names the repository's owner
    url: ownerErased ? null : details.url,
    repositoryOwnerErased: ownerErased,
  };
}

/** What answers about an erased member's activity show for a repository owned by one of their erased logins. */
export const ERASED_REPOSITORY_NAME = '[erased]';

/**
 * `repository` with its owner, name and full name withheld ({@link ERASED_REPOSITORY_NAME}), for an
 * activity whose `repositoryOwnerErased` is true; GitHub's numeric id and the counts stay.
 */
export function withRepositoryNameWithheld(repository: RepositoryView): RepositoryView {
  return { ...repository, owner: ERASED_REPOSITORY_NAME, name: ERASED_REPOSITORY_NAME, fullName: ERASED_REPOSITORY_NAME };
}

/** Repository columns for a query with `repository r`. */
export const REPOSITORY_COLUMNS = `r.id::text AS id, r.ecosystem_id, r.owner, r.name, r.full_name, r.default_branch,
  r.is_fork, r.is_archived, r.stargazers_count, r.forks_count, r.created_at, r.pushed_at`;

export interface RepositoryRow {
  id: string;
  ecosystem_id: number | null;
  owner: string;
  name: string;
  full_name: string;
  default_branch: string | null;
  is_fork: boolean;
  is_archived: boolean;
  stargazers_count: number | null;
  forks_count: number | null;
  created_at: Date | null;
  pushed_at: Date | null;
}

export function toRepositoryView(row: RepositoryRow): RepositoryView {
  return {
    id: Number(row.id),
    ecosystemId: row.ecosystem_id,
    owner: row.owner,
    name: row.name,
    fullName: row.full_name,
    defaultBranch: row.default_branch,
    isFork: row.is_fork,
    isArchived: row.is_archived,
    stargazersCount: row.stargazers_count,
    forksCount: row.forks_count,
    createdAt: row.created_at,
    pushedAt: row.pushed_at,
  };
}
