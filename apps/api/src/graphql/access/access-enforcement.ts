import { AuthException, AuthExceptionCode } from '#libs/auth';
import {
  defaultFieldResolver,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { GqlContext } from '../graphql-context.js';
import { accessAllowed, type AccessRule } from './access-rule.js';
import { ACCESS_EXTENSION } from './access.decorator.js';

/** The access rule declared on a field with `@Access`, or undefined. */
export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return (field.extensions as Record<string, unknown> | undefined)?.[ACCESS_EXTENSION] as AccessRule | undefined;
}

/**
 * The error of a refused field: UNAUTHENTICATED for the public (how to sign in), FORBIDDEN for a
 * viewer with credentials (who may, and what the viewer is).
 */
export function accessRefusal(what: string, rule: AccessRule, ctx: Pick<GqlContext, 'viewer'>): AuthException {
  const viewer = ctx.viewer;
  if (!viewer.role) {
    return new AuthException(
      `${what} needs ${rule.label}: sign in through GitHub at /auth/github, or send an admin API token ("Authorization: Bearer <token>")`,
      AuthExceptionCode.UNAUTHENTICATED,
    );
  }
  const who = viewer.sessionId ? `the signed-in member${viewer.githubLogin ? ` @${viewer.githubLogin}` : ''}` : 'this API token';
  return new AuthException(`${what} needs ${rule.label} (or an admin); ${who} is not`, AuthExceptionCode.FORBIDDEN);
}

/**
 * Wraps the resolver of every field that declares a rule (`@Access`) so the rule is checked before
 * it runs: refused, the field fails (`refuse`) or answers null / an empty list (`hide`). Public
 * rules are left unwrapped (no cost). Used as the GraphQL module's `transformSchema`; changes the
 * schema's fields in place and returns it.
 */
export function applyAccessRules(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = accessRuleOf(field);
      if (!rule || rule.isPublic) continue;
      const resolve: GraphQLFieldResolver<unknown, GqlContext> = field.resolve ?? defaultFieldResolver;
      const what = type.name === 'Query' || type.name === 'Mutation' ? field.name : `${type.name}.${field.name}`;
      const hidden = isListType(getNullableType(field.type)) ? [] : null;
      field.resolve = async (parent, args, ctx: GqlContext, info) => {
        if (await accessAllowed(rule, { access: ctx.access, args, parent: parent ?? {} })) return resolve(parent, args, ctx, info);
        if (rule.otherwise === 'hide') return hidden;
        throw accessRefusal(what, rule, ctx);
      };
    }
  }
  return schema;
}
