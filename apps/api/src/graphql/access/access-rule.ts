import type { HackathonRef, ViewerAccess } from '#libs/access';

/**
 * A field's arguments, or its parent object, as GraphQL hands them to a rule: shapes differ per field,
 * and each rule's `from` function reads the one it is written for.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldValues = Record<string, any>;

/** What a rule is decided on: the viewer's roles, the field's arguments and its parent object. */
export interface AccessInput {
  access: ViewerAccess;
  args: FieldValues;
  parent: FieldValues;
}

/**
 * An access rule of one GraphQL field (issue 8). ADMIN passes every rule; otherwise `allows`
 * decides. `label` says who may, in words used by error messages and the README's role table.
 */
export interface AccessRule {
  readonly label: string;
  /**
   * What a refusal does: `refuse` answers the field with UNAUTHENTICATED (anonymous) or FORBIDDEN;
   * `hide` answers null (an empty list for a list field), for personal fields of public objects.
   */
  readonly otherwise: 'refuse' | 'hide';
  /** True for a rule everyone passes (no check runs at all). */
  readonly isPublic?: boolean;
  allows(input: AccessInput): boolean | Promise<boolean>;
}

/** Picks a value out of a field's arguments or parent (e.g. `(args) => args.hackathonId`). */
export type FromArgs = (args: FieldValues, parent: FieldValues) => unknown;
/** Names the hackathon an operation touches, from its arguments or parent; null when it names none. */
export type HackathonFrom = (args: FieldValues, parent: FieldValues) => HackathonRef | null;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * The rules, by role (README "Roles"). Each returns a rule that refuses with an error; wrap it in
 * {@link AccessRules.hidden} to answer null instead.
 */
export const AccessRules = {
  /** Everyone, the public included. */
  public(): AccessRule {
    return { label: 'anyone', otherwise: 'refuse', isPublic: true, allows: () => true };
  },

  /**
   * Whoever may reach the parent object: a field of an object that only rule-guarded fields return
   * (e.g. `MemberEmailPreferences.email`, reached through admin-or-self operations). No check of its
   * own; `reachedThrough` names the guarded fields, for the README and reviews.
   */
  asParent(reachedThrough: string): AccessRule {
    return { label: `whoever may read ${reachedThrough}`, otherwise: 'refuse', isPublic: true, allows: () => true };
  },

  /** ADMIN only: an admin API token or an admin's session. */
  admin(): AccessRule {
    return { label: 'an admin', otherwise: 'refuse', allows: () => false };
  },

  /** Any signed-in member (a session). */
  signedIn(): AccessRule {
    return { label: 'a signed-in member', otherwise: 'refuse', allows: ({ access }) => access.memberId != null };
  },

  /** ORGANIZER of the hackathon named by `from` (a hackathon grant, or a grant of its ecosystem). */
  organizer(from: HackathonFrom): AccessRule {
    return {
      label: "an organiser of the hackathon",
      otherwise: 'refuse',
      allows: async ({ access, args, parent }) => {
        const ref = from(args, parent);
        return ref != null && access.organizes(await access.hackathonOf(ref));
      },
    };
  },

  /** ORGANIZER of the whole ecosystem whose slug `from` picks. */
  ecosystemOrganizer(from: FromArgs): AccessRule {
    return {
      label: 'an organiser of the ecosystem',
      otherwise: 'refuse',
      allows: async ({ access, args, parent }) => {
        const slug = text(from(args, parent));
        return slug != null && access.organizesEcosystem(await access.ecosystemIdOf(slug));
      },
    };
  },

  /** JUDGE of the hackathon named by `from`. */
  judgeOf(from: HackathonFrom): AccessRule {
    return {
      label: 'a judge of the hackathon',
      otherwise: 'refuse',
      allows: async ({ access, args, parent }) => {
        const ref = from(args, parent);
        return ref != null && access.judges(await access.hackathonOf(ref));
      },
    };
  },

  /** MEMBER acting as themself: `from` picks a member reference (id or GitHub login) that names the signed-in member. */
  self(from: FromArgs, what = 'the member'): AccessRule {
    return {
      label: `${what} themself`,
      otherwise: 'refuse',
      allows: ({ access, args, parent }) => access.isSelfRef(text(from(args, parent))),
    };
  },

  /** A member of the team `from` picks (a team id). */
  teamMember(from: FromArgs): AccessRule {
    return {
      label: 'a member of the team',
      otherwise: 'refuse',
      allows: ({ access, args, parent }) => access.inTeam(text(from(args, parent))),
    };
  },

  /** Passes when any of the rules passes. */
  anyOf(...rules: AccessRule[]): AccessRule {
    return {
      label: rules.map((rule) => rule.label).join(' or '),
      otherwise: 'refuse',
      isPublic: rules.some((rule) => rule.isPublic),
      allows: async (input) => {
        for (const rule of rules) if (await rule.allows(input)) return true;
        return false;
      },
    };
  },

  /** Passes when every rule passes. */
  allOf(...rules: AccessRule[]): AccessRule {
    return {
      label: rules.map((rule) => rule.label).join(' and '),
      otherwise: 'refuse',
      allows: async (input) => {
        for (const rule of rules) if (!(await rule.allows(input))) return false;
        return true;
      },
    };
  },

  /** The same rule, answering null (or an empty list) instead of an error when it refuses. */
  hidden(rule: AccessRule): AccessRule {
    return { ...rule, otherwise: 'hide' };
  },
};

/** True when the viewer may: ADMIN always, else the rule decides. */
export async function accessAllowed(rule: AccessRule, input: AccessInput): Promise<boolean> {
  if (rule.isPublic || input.access.isAdmin) return true;
  return rule.allows(input);
}
