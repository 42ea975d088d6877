import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CSRF_HEADER } from '#libs/auth';
import type { GqlContext } from './graphql-context.js';

/**
 * Checks, once the operation is known and before it runs, what the credentials allow:
 * - a mutation authenticated by the session cookie needs the session's CSRF token in `x-csrf-token`
 *   (else 403 `CSRF_TOKEN_REQUIRED`; OWASP CSRF Prevention Cheat Sheet). Bearer requests are exempt:
 *   a browser never adds an `Authorization` header to a cross-site request by itself;
 * - an API token needs the `write` scope for a mutation and the `read` scope for a query (else 403
 *   `FORBIDDEN` naming the scope).
 */
export function operationAccessPlugin(): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!operation) return;
          const mutation = operation.operation === 'mutation';
          if (mutation && !contextValue.csrfVerified) {
            throw new GraphQLError(
              `A mutation signed in by the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header (the \`viewer { csrfToken }\` query and the cambrian_csrf cookie carry it)`,
              { extensions: { code: 'CSRF_TOKEN_REQUIRED', http: { status: 403 } } },
            );
          }
          const scopes = contextValue.viewer.scopes;
          const needed = mutation ? 'write' : operation.operation === 'query' ? 'read' : null;
          if (scopes && needed && !scopes.includes(needed)) {
            throw new GraphQLError(`This API token lacks the "${needed}" scope (it has: ${scopes.join(', ')})`, {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}
