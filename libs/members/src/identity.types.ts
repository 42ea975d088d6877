import type { GithubActor } from './account-kind.js';

/** Who did something, as the source describes it. */
export type ActorRef =
  /** A GitHub account from a REST object or webhook (`null` = deleted account). */
  | { kind: 'github'; account: GithubActor | null }
  /**
   * A commit's author: GitHub's linked account when the API has one (`author` in REST),
   * otherwise the git name and e-mail.
   */
  | { kind: 'commit-author'; account: GithubActor | null; name: string | null; email: string | null };

/** An identity and the member it belongs to. */
export interface ResolvedIdentity {
  identityId: string;
  memberId: string;
  /**
   * True when the actor is a GitHub account or address of an erased member: the identity is that
   * member's anonymous `erased` identity, and nothing about the actor (login, name, avatar,
   * address) was stored.
   */
  erased?: boolean;
}

/** The GitHub account currently holding a login, and its member. */
export interface LoginHolder {
  githubAccountId: number;
  /** The login as stored (GitHub's letter case). */
  login: string;
  /** Null for an account seen only as a reference (never resolved as anyone's identity). */
  memberId: string | null;
}
