import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { GithubAppCredentials } from '#libs/config';
import { SecretBox } from '#libs/secrets';
import { EcosystemService } from '../ecosystem/ecosystem.service.js';
import { credentialAssociatedData, describeCredential } from './credential-binding.js';
import { checkAppPrivateKey, checkGithubId, checkGithubToken, checkWebhookSecret } from './credential-values.js';
import { GithubCredentialEntity, type GithubCredentialKind } from './github-credential.entity.js';
import { GithubCredentialException, GithubCredentialExceptionCode } from './github-credential.exception.js';

/** Webhook secrets an ecosystem may hold at once (rotation needs two; a few spare). */
export const MAX_WEBHOOK_SECRETS = 10;

/** What may be shown of a stored credential: everything but the secret. */
export interface CredentialSummary {
  id: string;
  ecosystemId: number;
  kind: GithubCredentialKind;
  /** GitHub App id and installation id (kind `app`), else null. */
  appId: number | null;
  installationId: number | null;
  /** Id of the key the value is sealed under. */
  keyId: string;
  /** Keyed fingerprint (12 hex digits), see `SecretBox.fingerprint`. */
  fingerprint: string;
  /** When it was set (UTC instant). */
  setAt: Date;
  /** Who set it (`api-token:<id>`, `member:<id>`), or null. */
  setBy: string | null;
}

/** An ecosystem's stored credentials, as shown: its GitHub identity (token or App) and its webhook secrets. */
export interface EcosystemCredentialStatus {
  ecosystemId: number;
  identity: CredentialSummary | null;
  /** Oldest first. */
  webhookSecrets: CredentialSummary[];
}

/** An ecosystem's stored GitHub identity, decrypted, for the client factory. */
export type StoredGithubIdentity =
  | { kind: 'token'; credentialId: string; token: string }
  | { kind: 'app'; credentialId: string; app: GithubAppCredentials };

/** A stored webhook secret, decrypted, with the ecosystem it was stored for. */
export interface StoredWebhookSecret {
  ecosystemId: number;
  secret: string;
}

/** What `rotate` did. */
export interface RotationResult {
  /** Rows re-encrypted under the current key. */
  reencrypted: number;
  /** Rows already under it. */
  alreadyCurrent: number;
  /** Rows that could not be opened (unknown key, or refused), with the reason (no value). */
  failures: Array<{ id: string; reason: string }>;
  /** The current key's id. */
  keyId: string;
}

/** How long stored webhook secrets are reused before they are read again (ms); a miss rereads sooner. */
const WEBHOOK_SECRETS_MAX_AGE_MS = 30_000;
/** A signature that no known secret verifies rereads the stored secrets at most this often (ms). */
const WEBHOOK_SECRETS_MISS_REREAD_MS = 1_000;

const summary = (row: GithubCredentialEntity): CredentialSummary => ({
  id: row.id,
  ecosystemId: row.ecosystemId,
  kind: row.kind,
  appId: row.appId,
  installationId: row.installationId,
  keyId: row.keyId,
  fingerprint: row.fingerprint,
  setAt: row.setAt,
  setBy: row.setBy,
});

/**
 * GitHub credentials stored per ecosystem (issue 8): an ecosystem's token or GitHub App
 * installation, used by its syncs instead of the environment's, and its webhook secrets, accepted
 * besides GITHUB_WEBHOOK_SECRETS for deliveries about the ecosystem's own repositories. Values are sealed with AES-256-GCM (libs/secrets `SecretBox`),
 * bound to their row; they are write-only for callers: {@link status} shows kind, fingerprint,
 * set_at and set_by, never a value. Decrypted values live only in this process's memory.
 *
 * At start-up ({@link onApplicationBootstrap}) a process refuses to run when rows exist that it
 * cannot open: CAMBRIAN_SECRETS_KEY unset (production), or a key id it does not hold.
 */
@Injectable()
export class GithubCredentialService implements OnApplicationBootstrap {
  private readonly logger = new Logger(GithubCredentialService.name);
  private readonly identities = new Map<string, StoredGithubIdentity>();
  private webhookCache: { readAt: number; secrets: StoredWebhookSecret[] } | null = null;
  private webhookLoad: Promise<StoredWebhookSecret[]> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly ecosystems: EcosystemService,
  ) {}

  /**
   * Refuses start-up when encrypted rows exist that this process cannot open.
   * @throws Error naming CAMBRIAN_SECRETS_KEY / CAMBRIAN_SECRETS_OLD_KEYS and the key ids.
   */
  async onApplicationBootstrap(): Promise<void> {
    const rows: Array<{ key_id: string; rows: number }> = await this.dataSource.query(
      `SELECT key_id, count(*)::int AS rows FROM github_credential GROUP BY key_id ORDER BY key_id`,
    );
    const unreadable = rows.filter((row) => !this.box.canOpen(row.key_id));
    if (unreadable.length === 0) return;
    const what = unreadable.map((row) => `${row.rows} under key ${row.key_id}`).join(', ');
    throw new Error(
      this.box.currentKeyId === null
        ? `github_credential holds encrypted credentials (${what}) but CAMBRIAN_SECRETS_KEY is not set: set the key they were stored with`
        : `github_credential holds credentials this process cannot decrypt (${what}); CAMBRIAN_SECRETS_KEY is key ${this.box.currentKeyId}: ` +
            `set the key they were stored with as CAMBRIAN_SECRETS_KEY or in CAMBRIAN_SECRETS_OLD_KEYS`,
    );
  }

  /**
   * Stores `token` as the ecosystem's GitHub identity, replacing a stored token or App.
   * @throws EcosystemException NOT_FOUND; GithubCredentialException INVALID; SecretsException KEY_MISSING.
   */
  async setToken(ecosystemSlug: string, token: string, actor: string | null): Promise<EcosystemCredentialStatus> {
    const ecosystem = await this.ecosystems.getBySlug(ecosystemSlug);
    const value = checkGithubToken(token);
    await this.replaceIdentity(this.sealRow(ecosystem.id, 'token', null, null, value, actor));
    return this.status(ecosystem.id);
  }

  /**
   * Stores a GitHub App installation as the ecosystem's GitHub identity, replacing a stored token or App.
   * @throws EcosystemException NOT_FOUND; GithubCredentialException INVALID (ids, key not PEM); SecretsException KEY_MISSING.
   */
  async setApp(
    ecosystemSlug: string,
    app: { appId: number; installationId: number; privateKey: string },
    actor: string | null,
  ): Promise<EcosystemCredentialStatus> {
    const ecosystem = await this.ecosystems.getBySlug(ecosystemSlug);
    const appId = checkGithubId('appId', app.appId);
    const installationId = checkGithubId('installationId', app.installationId);
    const pem = checkAppPrivateKey(app.privateKey);
    await this.replaceIdentity(this.sealRow(ecosystem.id, 'app', appId, installationId, pem, actor));
    return this.status(ecosystem.id);
  }

  /**
   * Removes the ecosystem's stored token or App; its syncs use the environment's credentials again.
   * @throws EcosystemException NOT_FOUND.
   */
  async clearIdentity(ecosystemSlug: string): Promise<EcosystemCredentialStatus> {
    const ecosystem = await this.ecosystems.getBySlug(ecosystemSlug);
    await this.dataSource.query(`DELETE FROM github_credential WHERE ecosystem_id = $1 AND kind IN ('token', 'app')`, [ecosystem.id]);
    return this.status(ecosystem.id);
  }

  /**
   * Adds a webhook secret of the ecosystem (accepted from then on, besides GITHUB_WEBHOOK_SECRETS,
   * for deliveries about the ecosystem's own repositories only: `deliveryScopeRefusal`); several may
   * be held at once for rotation. The same value stored by another ecosystem is not refused (that
   * would tell whoever adds it that another ecosystem uses it); a delivery it verifies counts for
   * the ecosystem with the lower id.
   * @throws EcosystemException NOT_FOUND; GithubCredentialException INVALID, CONFLICT (already
   *   stored, or {@link MAX_WEBHOOK_SECRETS} held); SecretsException KEY_MISSING.
   */
  async addWebhookSecret(ecosystemSlug: string, secret: string, actor: string | null): Promise<EcosystemCredentialStatus> {
    const ecosystem = await this.ecosystems.getBySlug(ecosystemSlug);
    const value = checkWebhookSecret(secret);
    const row = this.sealRow(ecosystem.id, 'webhook_secret', null, null, value, actor);
    await this.dataSource.transaction(async (manager) => {
      // one writer per ecosystem at a time, so the duplicate and count checks hold
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`github-credential:${ecosystem.id}`]);
      const existing = await manager.getRepository(GithubCredentialEntity).find({ where: { ecosystemId: ecosystem.id, kind: 'webhook_secret' } });
      if (existing.length >= MAX_WEBHOOK_SECRETS) {
        throw new GithubCredentialException(
          `ecosystem "${ecosystemSlug}" holds ${existing.length} webhook secrets already (at most ${MAX_WEBHOOK_SECRETS}); remove one first`,
          GithubCredentialExceptionCode.CONFLICT,
        );
      }
      const same = existing.find((stored) => this.openRow(stored) === value);
      if (same) {
        throw new GithubCredentialException(
          `this webhook secret is stored already for ecosystem "${ecosystemSlug}" (id ${same.id})`,
          GithubCredentialExceptionCode.CONFLICT,
        );
      }
      await manager.getRepository(GithubCredentialEntity).insert(row);
    });
    this.webhookCache = null;
    return this.status(ecosystem.id);
  }

  /**
   * Removes one stored webhook secret of the ecosystem; deliveries signed with it are refused from
   * then on (within 30 s in other api processes, which reread stored secrets at most that late).
   * @throws EcosystemException NOT_FOUND; GithubCredentialException NOT_FOUND.
   */
  async removeWebhookSecret(ecosystemSlug: string, id: string): Promise<EcosystemCredentialStatus> {
    const ecosystem = await this.ecosystems.getBySlug(ecosystemSlug);
    const [, removed]: [unknown, number] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.dataSource.query(`DELETE FROM github_credential WHERE id = $1 AND ecosystem_id = $2 AND kind = 'webhook_secret'`, [id, ecosystem.id])
      : [null, 0];
    if (!removed) {
      throw new GithubCredentialException(`ecosystem "${ecosystemSlug}" has no stored webhook secret ${id}`, GithubCredentialExceptionCode.NOT_FOUND);
    }
    this.webhookCache = null;
    return this.status(ecosystem.id);
  }

  /** What is stored for the ecosystem (no values). */
  async status(ecosystemId: number): Promise<EcosystemCredentialStatus> {
    const rows = await this.dataSource.getRepository(GithubCredentialEntity).find({ where: { ecosystemId }, order: { setAt: 'ASC', id: 'ASC' } });
    const identity = rows.find((row) => row.kind !== 'webhook_secret');
    return {
      ecosystemId,
      identity: identity ? summary(identity) : null,
      webhookSecrets: rows.filter((row) => row.kind === 'webhook_secret').map(summary),
    };
  }

  /**
   * The ecosystem's stored GitHub identity, decrypted, or null when none is stored (the
   * environment's credentials apply). One indexed read per call; values are decrypted once per row.
   * @throws SecretsException KEY_UNKNOWN, DECRYPT_FAILED: a stored identity that cannot be opened is
   *   an error, never a silent fall-back to the environment's credentials.
   */
  async identityFor(ecosystemId: number): Promise<StoredGithubIdentity | null> {
    const row = await this.dataSource.getRepository(GithubCredentialEntity).findOne({ where: [{ ecosystemId, kind: 'token' }, { ecosystemId, kind: 'app' }] });
    if (!row) return null;
    const cached = this.identities.get(row.id);
    if (cached) return cached;
    const value = this.openRow(row);
    const identity: StoredGithubIdentity =
      row.kind === 'token'
        ? { kind: 'token', credentialId: row.id, token: value }
        : { kind: 'app', credentialId: row.id, app: { appId: row.appId!, installationId: row.installationId!, privateKey: value } };
    if (this.identities.size >= 1000) this.identities.clear();
    this.identities.set(row.id, identity);
    return identity;
  }

  /**
   * Every stored webhook secret (of every ecosystem: a delivery names no ecosystem before it is
   * verified), decrypted, each with its ecosystem (ordered by ecosystem id, then row id), so that
   * the ecosystem whose secret verified a delivery can be recorded with it. Read again when older than 30 s, or, with `afterMiss`, when older than
   * 1 s (a signature no known secret verified: a secret may have been added by another process).
   * A row that cannot be opened is left out and logged (by id, never its value). When the reread
   * fails (Postgres away) the secrets read before are used; without any, the error is thrown.
   */
  async webhookSecrets(options: { afterMiss?: boolean } = {}): Promise<StoredWebhookSecret[]> {
    const maxAge = options.afterMiss ? WEBHOOK_SECRETS_MISS_REREAD_MS : WEBHOOK_SECRETS_MAX_AGE_MS;
    if (this.webhookCache && Date.now() - this.webhookCache.readAt < maxAge) return this.webhookCache.secrets;
    this.webhookLoad ??= this.loadWebhookSecrets().finally(() => {
      this.webhookLoad = null;
    });
    return this.webhookLoad;
  }

  /**
   * Re-encrypts every row sealed under another key than the current one (`cambrian secrets
   * rotate`), each row on its own and only if no one changed it meanwhile. Fingerprints are kept.
   * @throws SecretsException KEY_MISSING without a current key.
   */
  async rotate(): Promise<RotationResult> {
    const keyId = this.box.requireCurrentKeyId();
    const rows = await this.dataSource.getRepository(GithubCredentialEntity).find({ order: { setAt: 'ASC', id: 'ASC' } });
    const result: RotationResult = { reencrypted: 0, alreadyCurrent: 0, failures: [], keyId };
    for (const row of rows) {
      if (row.keyId === keyId) {
        result.alreadyCurrent += 1;
        continue;
      }
      let value: string;
      try {
        value = this.openRow(row);
      } catch (error) {
        result.failures.push({ id: row.id, reason: (error as Error).message });
        continue;
      }
      const sealed = this.box.seal(value, credentialAssociatedData(row));
      const [, updated]: [unknown, number] = await this.dataSource.query(
        `UPDATE github_credential SET key_id = $1, sealed = $2 WHERE id = $3 AND key_id = $4 AND sealed = $5`,
        [sealed.keyId, sealed.sealed, row.id, row.keyId, row.sealed],
      );
      if (updated) result.reencrypted += 1;
      else result.alreadyCurrent += 1; // replaced or rotated by someone else meanwhile
    }
    this.identities.clear();
    this.webhookCache = null;
    return result;
  }

  private async loadWebhookSecrets(): Promise<StoredWebhookSecret[]> {
    let rows: GithubCredentialEntity[];
    try {
      rows = await this.dataSource
        .getRepository(GithubCredentialEntity)
        .find({ where: { kind: 'webhook_secret' }, order: { ecosystemId: 'ASC', id: 'ASC' } });
    } catch (error) {
      const stale = this.webhookCache;
      if (!stale) throw error;
      this.logger.warn(`stored webhook secrets not reread (${(error as Error).message}); using those read before`);
      this.webhookCache = { readAt: Date.now(), secrets: stale.secrets };
      return stale.secrets;
    }
    const secrets: StoredWebhookSecret[] = [];
    for (const row of rows) {
      try {
        secrets.push({ ecosystemId: row.ecosystemId, secret: this.openRow(row) });
      } catch (error) {
        this.logger.error(`stored webhook secret not used: ${(error as Error).message}`);
      }
    }
    this.webhookCache = { readAt: Date.now(), secrets };
    return secrets;
  }

  private sealRow(
    ecosystemId: number,
    kind: GithubCredentialKind,
    appId: number | null,
    installationId: number | null,
    value: string,
    actor: string | null,
  ): GithubCredentialEntity {
    const row = new GithubCredentialEntity();
    Object.assign(row, { id: randomUUID(), ecosystemId, kind, appId, installationId, setBy: actor, setAt: new Date() });
    const sealed = this.box.seal(value, credentialAssociatedData(row));
    row.keyId = sealed.keyId;
    row.sealed = sealed.sealed;
    row.fingerprint = this.box.fingerprint(value);
    return row;
  }

  private openRow(row: GithubCredentialEntity): string {
    return this.box.open({ keyId: row.keyId, sealed: row.sealed }, credentialAssociatedData(row), describeCredential(row));
  }

  private async replaceIdentity(row: GithubCredentialEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // concurrent replacements of one ecosystem's identity queue here instead of meeting its unique index
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`github-credential:${row.ecosystemId}`]);
      await manager.query(`DELETE FROM github_credential WHERE ecosystem_id = $1 AND kind IN ('token', 'app')`, [row.ecosystemId]);
      await manager.getRepository(GithubCredentialEntity).insert(row);
    });
  }
}
