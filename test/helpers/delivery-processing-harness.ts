import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService } from '#libs/github';
import { createTestEnv, type TestEnv } from './test-env.js';

/** The worker's delivery processing over a test database of its own, for specs. */
export interface DeliveryProcessingHarness {
  env: TestEnv;
  app: INestApplicationContext;
  service: DeliveryProcessingService;
  db: DataSource;
  /** Stores a delivery as the webhook endpoint does (received now, or at `receivedAt`, an ISO instant); returns its row id. */
  store(event: string, payload: unknown, receivedAt?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts {@link DeliveryProcessingService} in a Nest context (config, database) over a new test database. */
export async function startDeliveryProcessing(): Promise<DeliveryProcessingHarness> {
  const env = await createTestEnv();
  env.apply();
  const app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, DeliveryProcessingModule] }).compile()).init();
  const db = app.get(DataSource);
  return {
    env,
    app,
    service: app.get(DeliveryProcessingService),
    db,
    store: async (event, payload, receivedAt) => {
      const [row] = await db.query(
        `INSERT INTO webhook_delivery (delivery_id, event, payload, received_at) VALUES ($1, $2, $3::json, COALESCE($4::timestamptz, now())) RETURNING id`,
        [randomUUID(), event, JSON.stringify(payload), receivedAt ?? null],
      );
      return String(row.id);
    },
    close: async () => {
      await app.close();
      await env.teardown();
    },
  };
}
