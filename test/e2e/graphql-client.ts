import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SessionCredentials } from '../helpers/member-session.js';

/** A GraphQL answer as it came over HTTP. */
export interface GraphqlResponse<Data = any> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** POSTs GraphQL operations to a listening app over real HTTP (`fetch`). */
export class GraphqlClient {
  private constructor(private readonly url: string) {}

  /** Starts `app` on an ephemeral port (0) of 127.0.0.1 and returns a client for its /graphql. */
  static async listen(app: NestFastifyApplication): Promise<GraphqlClient> {
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
    return new GraphqlClient(`http://127.0.0.1:${address.port}/graphql`);
  }

  async request<Data = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string; authorization?: string; session?: SessionCredentials } = {},
  ): Promise<GraphqlResponse<Data>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.authorization) headers.authorization = options.authorization;
    if (options.session) {
      headers.cookie = `cambrian_session=${encodeURIComponent(options.session.secret)}`;
      headers['x-csrf-token'] = options.session.csrf;
    }
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphqlResponse<Data>, 'status'>;
    return { status: response.status, ...body };
  }

  /** Like {@link request}, failing the test on any GraphQL error; returns `data`. */
  async data<Data = any>(query: string, variables: Record<string, unknown> = {}, options: { token?: string } = {}) {
    const response = await this.request<Data>(query, variables, options);
    if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
    return response.data as Data;
  }
}
