import { badInput } from '../common/hackathon.exception.js';

/** Most links one submission may carry. */
export const MAX_SUBMISSION_LINKS = 10;
/** Longest link or repository URL, in characters. */
export const MAX_URL_LENGTH = 500;
/** Most pull requests one submission may link. */
export const MAX_SUBMISSION_PULL_REQUESTS = 50;

/** GitHub owner (user or organisation login) and repository name rules. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/** A repository named on github.com. */
export interface GithubRepositoryName {
  owner: string;
  name: string;
  /** `owner/name` as given (GitHub compares case-insensitively). */
  fullName: string;
  /** `https://github.com/owner/name`. */
  url: string;
}

/**
 * Reads a GitHub repository URL: `https://github.com/owner/name`, with or without the scheme or
 * `www.`, a trailing slash or `.git`; `http://` is accepted and stored as https.
 * @throws HackathonException BAD_USER_INPUT for another host, a path that is not a repository
 *   (`/owner` alone, `/owner/name/tree/main`), or names GitHub would not allow.
 */
export function parseGithubRepositoryUrl(value: string): GithubRepositoryName {
  const raw = value.trim();
  const refuse = (why: string) => badInput(`repositoryUrl: "${value}" ${why} (expected https://github.com/owner/name)`);
  if (raw.length > MAX_URL_LENGTH) throw refuse(`is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw refuse('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('is not an http(s) URL');
  if (!['github.com', 'www.github.com'].includes(url.hostname.toLowerCase()) || url.port) throw refuse('is not on github.com');
  if (url.username || url.password) throw refuse('carries credentials');
  const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1);
  if (parts.length !== 2) throw refuse('does not name a repository');
  const owner = parts[0];
  const name = parts[1].replace(/\.git$/i, '');
  if (!OWNER.test(owner) || !REPOSITORY.test(name) || name === '.' || name === '..') throw refuse('does not name a repository');
  return { owner, name, fullName: `${owner}/${name}`, url: `https://github.com/${owner}/${name}` };
}

/**
 * Normalises a submission's links: trimmed, each an absolute http or https URL without
 * credentials, at most {@link MAX_URL_LENGTH} characters; duplicates removed (order kept); at
 * most {@link MAX_SUBMISSION_LINKS}.
 * @throws HackathonException BAD_USER_INPUT naming the offending link.
 */
export function normaliseLinks(values: readonly string[] | null | undefined): string[] {
  const links = new Set<string>();
  for (const value of values ?? []) {
    const raw = value.trim();
    if (!raw) continue;
    if (raw.length > MAX_URL_LENGTH) throw badInput(`links: "${raw.slice(0, 40)}…" is longer than ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badInput(`links: "${raw}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(`links: "${raw}" is not an http or https URL`);
    if (url.username || url.password) throw badInput(`links: "${raw}" carries credentials`);
    links.add(url.href);
  }
  if (links.size > MAX_SUBMISSION_LINKS) throw badInput(`links: at most ${MAX_SUBMISSION_LINKS} (got ${links.size})`);
  return [...links];
}

/** A pull request named by GitHub's numeric id or by repository and number. */
export type PullRequestRef = { kind: 'id'; id: number } | { kind: 'number'; fullName: string; number: number };

/**
 * Reads a pull request reference: `owner/name#123`, `https://github.com/owner/name/pull/123`, or
 * GitHub's numeric pull request id.
 * @throws HackathonException BAD_USER_INPUT for anything else.
 */
export function parsePullRequestRef(value: string): PullRequestRef {
  const raw = value.trim();
  if (/^[0-9]{1,15}$/.test(raw) && Number(raw) > 0) return { kind: 'id', id: Number(raw) };
  const short = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})#([0-9]{1,9})$/.exec(raw);
  const long = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})\/pull\/([0-9]{1,9})\/?$/i.exec(raw);
  const match = short ?? long;
  if (match && Number(match[3]) > 0) return { kind: 'number', fullName: `${match[1]}/${match[2]}`, number: Number(match[3]) };
  throw badInput(`pullRequests: "${value}" is not a pull request (give "owner/name#number", its URL, or GitHub's numeric id)`);
}
