/** A GraphQL error as the api returns it. */
interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

/** Most times a request refused with 429 is sent again (after its `Retry-After`, at most 60 s). */
const RATE_LIMITED_RETRIES = 3;

/**
 * Posts one GraphQL operation to `url` with an optional bearer token. A 429 (the api's rate limits)
 * is waited out as its `Retry-After` says and the request sent again, up to 3 times.
 * @throws Error with the server's messages when the response carries errors or is not 200.
 */
export async function graphqlRequest<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  let response: Response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    if (response.status !== 429 || attempt === RATE_LIMITED_RETRIES) break;
    const seconds = Math.min(60, Math.max(1, Number(response.headers.get('retry-after')) || 1));
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphqlError[] };
  if (body.errors?.length) {
    throw new Error(body.errors.map((error) => `${error.message} (${error.extensions?.code ?? 'ERROR'})`).join('; '));
  }
  if (!response.ok || !body.data) throw new Error(`GraphQL request failed with HTTP ${response.status}`);
  return body.data;
}
