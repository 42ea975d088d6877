import type { GithubAccountType, GithubActor } from '#libs/members';
import { topicNames } from '../../sync/map-repository.js';
import type { RepositoryUpsert } from './delivery-plan.js';

/** A JSON object from a payload, read defensively: GitHub omits or nulls fields across events. */
export type Json = Record<string, unknown>;

/** What normalisers know besides the payload. */
export interface NormalizeContext {
  /** When the delivery was received (UTC): the fallback time of facts the payload does not date. */
  receivedAt: Date;
}

const ACCOUNT_TYPES = new Set<GithubAccountType>(['User', 'Bot', 'Organization', 'Mannequin']);

/** `value` when it is a JSON object, otherwise null. */
export function object(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/**
 * A string field, or null. NUL characters are dropped: JSON allows `\u0000` in strings (and the
 * stored payload keeps it), but Postgres `text` and `jsonb` cannot hold it.
 */
export function text(value: unknown): string | null {
  return typeof value === 'string' ? value.replaceAll('\u0000', '') : null;
}

/** A GitHub numeric id (positive safe integer), or null. */
export function id(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** A non-negative integer count, or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/**
 * A UTC instant from an ISO 8601 string, or from Unix seconds (push payloads date
 * `repository.created_at` and `pushed_at` that way); null when absent or invalid.
 */
export function instant(value: unknown): Date | null {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * A GitHub account (`user`, `sender`, `author`...) as an actor; null for `null` — GitHub's
 * deleted account (case I1) — and for anything without a numeric id and a login. The ghost
 * placeholder (id 10137) passes through: identity resolution maps it to the deleted member.
 */
export function actor(value: unknown): GithubActor | null {
  const account = object(value);
  const accountId = id(account?.id);
  const login = text(account?.login);
  if (!account || accountId === null || !login) return null;
  const type = text(account.type);
  return {
    id: accountId,
    login,
    type: type && ACCOUNT_TYPES.has(type as GithubAccountType) ? type : null,
    avatar_url: text(account.avatar_url),
  };
}

/** `{ id, login }` of an account for activity facts, or null. */
export function accountFact(value: GithubActor | null): { id: number; login: string } | null {
  return value ? { id: value.id, login: value.login } : null;
}

/**
 * The repository row a payload's `repository` object describes, or null when there is none
 * (installation events, a malformed payload).
 */
export function repositoryOf(payload: Json, updateName = false): RepositoryUpsert | null {
  const repository = object(payload.repository);
  const repositoryId = id(repository?.id);
  if (!repository || repositoryId === null) return null;
  const fullName = text(repository.full_name);
  const owner = text(object(repository.owner)?.login) ?? fullName?.split('/')[0] ?? null;
  const name = text(repository.name) ?? fullName?.split('/')[1] ?? null;
  if (!owner || !name) return null;
  return {
    id: repositoryId,
    owner,
    name,
    fullName: fullName ?? `${owner}/${name}`,
    defaultBranch: text(repository.default_branch),
    isFork: repository.fork === true,
    isArchived: repository.archived === true,
    stargazersCount: count(repository.stargazers_count),
    forksCount: count(repository.forks_count),
    createdAt: instant(repository.created_at),
    pushedAt: instant(repository.pushed_at),
    topics: topicNames(repository.topics),
    updateName,
  };
}
