import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv } from './test-env.js';

/** The api's GraphQL schema and how to release what built it. */
export interface ApiSchema {
  schema: GraphQLSchema;
  /** Closes the app and drops the test database. */
  close(): Promise<void>;
}

/**
 * The GraphQL schema exactly as the api serves it: the app is created and initialised (code-first
 * types, plugins, access and audit wiring) on a test database of its own. Call in `beforeAll`;
 * `close` in `afterAll`.
 */
export async function loadApiSchema(): Promise<ApiSchema> {
  const env = await createTestEnv();
  try {
    env.apply();
    const app = await createApiApp({ logger: false });
    try {
      await app.init();
      return {
        schema: app.get(GraphQLSchemaHost, { strict: false }).schema,
        close: async () => {
          await app.close();
          await env.teardown();
        },
      };
    } catch (error) {
      await app.close();
      throw error;
    }
  } catch (error) {
    await env.teardown();
    throw error;
  }
}
