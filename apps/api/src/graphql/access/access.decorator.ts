import { Extensions } from '@nestjs/graphql';
import { AccessRules, type AccessRule, type FromArgs, type HackathonFrom } from './access-rule.js';

/** Key of a field's access rule in its GraphQL `extensions`. */
export const ACCESS_EXTENSION = 'access';

/**
 * Declares who may use a query, mutation or object field (issue 8): the rule is stored in the
 * field's `extensions` and enforced for every field of the schema in one place
 * (`applyAccessRules`, access-enforcement.ts), for root fields and object fields alike, before
 * the resolver runs. Put it next to `@Query`/`@Mutation`/`@ResolveField`/`@Field`.
 */
export function Access(rule: AccessRule): MethodDecorator & PropertyDecorator {
  return Extensions({ [ACCESS_EXTENSION]: rule }) as MethodDecorator & PropertyDecorator;
}

/** Anyone, the public included. */
Access.public = () => Access(AccessRules.public());
/** No check of its own: the object is only reached through the rule-guarded `reachedThrough` fields. */
Access.asParent = (reachedThrough: string) => Access(AccessRules.asParent(reachedThrough));
/** ADMIN only; anyone else reads null (or an empty list): personal fields of public objects. */
Access.adminOrHidden = () => Access(AccessRules.hidden(AccessRules.admin()));
/** ADMIN only. */
Access.admin = () => Access(AccessRules.admin());
/** Any signed-in member. */
Access.signedIn = () => Access(AccessRules.signedIn());
/** ADMIN or an ORGANIZER of the hackathon `from` names (see {@link AccessRules.organizer}). */
Access.organizer = (from: HackathonFrom) => Access(AccessRules.organizer(from));
/**
 * A member action: ADMIN, an ORGANIZER of the hackathon `hackathon` names, or the member `member`
 * picks acting as themself.
 */
Access.memberAction = (hackathon: HackathonFrom, member: FromArgs) =>
  Access(AccessRules.anyOf(AccessRules.organizer(hackathon), AccessRules.self(member)));

export { AccessRules, type AccessRule };
