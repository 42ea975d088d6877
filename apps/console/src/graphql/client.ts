import { cacheExchange, Client, fetchExchange } from 'urql';
import { csrfHeaders } from '../lib/csrf.js';

/**
 * The console's GraphQL client (urql): POST `/graphql` on the console's own origin with the session
 * cookie, and the session's CSRF token on every request (the api requires it on mutations; reads
 * ignore it). The token is read at each request, so signing in or out needs no new client.
 */
export function createGraphqlClient(url = '/graphql'): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    fetchOptions: () => ({ credentials: 'same-origin', headers: csrfHeaders() }),
  });
}
