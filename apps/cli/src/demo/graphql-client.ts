/** A GraphQL error as the api returns it. */
interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

/**
 * Posts one GraphQL operation to `url` with an optional bearer token.
 * @throws Error with the server's messages when the response carries errors or is not 200.
 */
export async function graphqlRequest<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphqlError[] };
  if (body.errors?.length) {
    throw new Error(body.errors.map((error) => `${error.message} (${error.extensions?.code ?? 'ERROR'})`).join('; '));
  }
  if (!response.ok || !body.data) throw new Error(`GraphQL request failed with HTTP ${response.status}`);
  return body.data;
}
