import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Marks every GraphQL response `Cache-Control: no-store` (RFC 9111 §5.2.2.5): answers depend on who asks
 * (sign-in, role, e-mail visibility), so no browser or proxy may keep them. Apollo's default cache-control
 * plugin sent the same header for responses without cache hints — no field here sets one — but ran a hook
 * on every resolved field to find that out; this sets the header once per response, and the default plugin
 * is turned off (`ApolloServerPluginCacheControlDisabled`).
 */
export function noStorePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
