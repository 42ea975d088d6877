import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Reads stored deliveries' GitHub identities for admin views (e.g. the failed list). */
@Injectable()
export class WebhookDeliveryLookup {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The `X-GitHub-Delivery` GUID of each `webhook_delivery.id` in `rowIds` that exists (one query).
   * @returns row id → delivery GUID; unknown row ids are absent.
   */
  async deliveryIdsByRowId(rowIds: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(rowIds.filter((id) => /^\d{1,18}$/.test(id)))];
    if (valid.length === 0) return new Map();
    const rows: Array<{ id: string; delivery_id: string }> = await this.dataSource.query(
      `SELECT id::text AS id, delivery_id FROM webhook_delivery WHERE id = ANY($1::bigint[])`,
      [valid],
    );
    return new Map(rows.map((row) => [row.id, row.delivery_id]));
  }
}
