import type { TrackedSourceKind } from '../entities/tracked-source.entity.js';
import { EcosystemException, EcosystemExceptionCode } from './ecosystem.exception.js';

/** A tracked source as an operator names it: a login, or a repository's `owner/name`. */
export interface TrackedSourceSpec {
  kind: TrackedSourceKind;
  /** Login for `organization`/`user`; `owner/name` for `repository`. */
  name: string;
}

/**
 * GitHub logins: 1–39 letters, digits or hyphens, starting with a letter or digit. GitHub's
 * sign-up rule also forbids double and trailing hyphens, but older accounts hold them.
 */
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** Repository names: letters, digits, `.`, `-`, `_`, up to 100 characters, never `.` or `..`. */
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Ecosystem slugs: lower-case letters, digits and hyphens, starting with a letter or digit. */
export const ECOSYSTEM_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** True when `login` is a syntactically valid GitHub login. */
export function isValidLogin(login: string): boolean {
  return LOGIN.test(login);
}

/**
 * Validates and normalises a tracked source (trims; strips a leading `https://github.com/`
 * and a trailing `.git` from repositories, as operators paste URLs).
 * @throws EcosystemException INVALID_SOURCE naming what is wrong.
 */
export function parseTrackedSource(kind: string, rawName: string): TrackedSourceSpec {
  const name = rawName.trim();
  if (kind === 'organization' || kind === 'user') {
    if (!isValidLogin(name)) {
      throw new EcosystemException(`"${rawName}" is not a GitHub ${kind} login`, EcosystemExceptionCode.INVALID_SOURCE);
    }
    return { kind, name };
  }
  if (kind === 'repository') {
    const path = name.replace(/^https?:\/\/github\.com\//i, '').replace(/\.git$/i, '').replace(/\/+$/, '');
    const parts = path.split('/');
    const [owner, repo] = parts;
    if (parts.length !== 2 || !isValidLogin(owner) || !REPOSITORY_NAME.test(repo) || repo === '.' || repo === '..') {
      throw new EcosystemException(`"${rawName}" is not a repository as owner/name`, EcosystemExceptionCode.INVALID_SOURCE);
    }
    return { kind, name: `${owner}/${repo}` };
  }
  throw new EcosystemException(
    `unknown source kind "${kind}" (organization, user or repository)`,
    EcosystemExceptionCode.INVALID_SOURCE,
  );
}

/**
 * Reads the one source a command names among `--org`, `--user`, `--repo`.
 * @throws EcosystemException INVALID_SOURCE when none or several are given, or the value is invalid.
 */
export function trackedSourceFromOptions(options: { org?: string; user?: string; repo?: string }): TrackedSourceSpec {
  const given = (
    [
      ['organization', options.org],
      ['user', options.user],
      ['repository', options.repo],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (given.length !== 1) {
    throw new EcosystemException('name exactly one of --org, --user, --repo', EcosystemExceptionCode.INVALID_SOURCE);
  }
  const [kind, value] = given[0];
  return parseTrackedSource(kind, value!);
}
