import { randomBytes } from 'node:crypto';
import { badInput } from '../common/hackathon.exception.js';

/** Bytes of randomness in an invite code (128 bits: not guessable, not enumerable). */
export const INVITE_CODE_BYTES = 16;
/** An invite code: base64url (RFC 4648 §5, URL-safe without padding) of {@link INVITE_CODE_BYTES} random bytes. */
export const INVITE_CODE = /^[A-Za-z0-9_-]{22}$/;

/** A fresh invite code from the operating system's CSPRNG (crypto.randomBytes). */
export function generateInviteCode(): string {
  return randomBytes(INVITE_CODE_BYTES).toString('base64url');
}

/**
 * Reads an invite code as typed or pasted (surrounding spaces dropped).
 * @throws HackathonException BAD_USER_INPUT when it cannot be an invite code.
 */
export function parseInviteCode(value: string): string {
  const code = value.trim();
  if (!INVITE_CODE.test(code)) throw badInput('inviteCode: not an invite code (22 characters: letters, digits, "-" and "_")');
  return code;
}

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/**
 * Validates a team name: trimmed, inner whitespace folded, 1–100 characters, no control characters
 * or bidirectional overrides (names are shown to other participants and judges).
 * @throws HackathonException BAD_USER_INPUT.
 */
export function parseTeamName(value: string): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (!name) throw badInput('name: a team needs a name');
  if (CONTROL.test(name)) throw badInput('name: must not contain control characters or bidirectional overrides');
  if ([...name].length > 100) throw badInput('name: must be at most 100 characters');
  return name;
}

/** A member of a team as {@link nextCaptain} reads it. */
export interface TeamMembership {
  memberId: string;
  /** UTC instant. */
  joinedAt: Date;
}

/**
 * Who becomes captain when the captain leaves: the longest-standing remaining member (earliest
 * `joinedAt`; ties by member id, so the choice is deterministic), or null when nobody remains.
 */
export function nextCaptain(remaining: readonly TeamMembership[]): string | null {
  let best: TeamMembership | null = null;
  for (const member of remaining) {
    if (
      !best ||
      member.joinedAt.getTime() < best.joinedAt.getTime() ||
      (member.joinedAt.getTime() === best.joinedAt.getTime() && member.memberId < best.memberId)
    ) {
      best = member;
    }
  }
  return best?.memberId ?? null;
}
