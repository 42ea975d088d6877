import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** Processing state of a delivery: stored, normalised, recognised but not used, or failed. */
export type DeliveryStatus = 'received' | 'processed' | 'ignored' | 'failed';

/** One GitHub webhook delivery, unique by its `X-GitHub-Delivery` GUID, stored before it is acknowledged. */
@Entity('webhook_delivery')
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'delivery_id', type: 'text', unique: true }) deliveryId: string;
  @Column({ type: 'text' }) event: string;
  @Column({ type: 'text', nullable: true }) action: string | null;
  @Column({ name: 'hook_id', type: 'bigint', nullable: true, transformer: bigintTransformer }) hookId: number | null;
  @Column({ name: 'installation_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  installationId: number | null;
  @Column({ name: 'repository_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  repositoryId: number | null;
  /**
   * The ecosystem whose stored webhook secret verified the delivery; null when GITHUB_WEBHOOK_SECRETS
   * did (trusted for every repository). Such a delivery may touch only that ecosystem's repositories.
   */
  @Column({ name: 'verified_by_ecosystem_id', type: 'integer', nullable: true }) verifiedByEcosystemId: number | null;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt: Date;
  /** The payload as GitHub sent it (`json`, not `jsonb`: kept as sent, cheaper to write). */
  @Column({ type: 'json' }) payload: Record<string, unknown>;
  @Column({ type: 'text', default: 'received' }) status: DeliveryStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true }) processedAt: Date | null;
}
