import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BulkIdentityResolver, commitKeysToSettle, REQUEST_FROM_INSERTED_SQL, settleCommitCredits, StageTrigger, type ActorRef, type GithubActor, type ResolvedIdentity } from '#libs/members';
import { starKey } from '../activity-keys.js';
import type { ActivityDraft, GharchiveEvent } from './gharchive-event.js';
import { eventRepository, mapGharchiveEvent } from './map-gharchive-event.js';
import { GharchiveFileError, listGharchiveFiles, readGharchiveLines } from './read-gharchive-files.js';
import { TrackedRepositoryIndex } from './tracked-repositories.js';

/** Options of {@link GharchiveImportService.import}. */
export interface GharchiveImportOptions {
  /** Import the events of every repository, not only tracked ones (for testing). Default false. */
  all?: boolean;
  /** Activities written per batch (one `unnest` insert; 8 parameters whatever the size). Default 10,000. */
  batchSize?: number;
  /** Called at most once per `progressIntervalMs` while importing, and once at the end. */
  onProgress?: (progress: GharchiveImportProgress) => void;
  /** Milliseconds between progress reports; default 1,000. */
  progressIntervalMs?: number;
}

/** Counters of an import (cumulative over its files). */
export interface GharchiveImportProgress {
  files: number;
  filesDone: number;
  currentFile: string | null;
  /**
   * Events read: lines parsed as events, plus lines skipped unparsed because they hold no tracked
   * repository's id or name (`TrackedRepositoryIndex.mightMatch`).
   */
  eventsRead: number;
  /** Events of tracked repositories (every event with `--all`). */
  eventsKept: number;
  /** Activities newly inserted. */
  activitiesWritten: number;
  /**
   * Activities not written because their source key is stored (from any source, or an earlier
   * import), or because a co-author trailer credits the commit's author again (case I5).
   */
  activitiesExisting: number;
  /**
   * Activities of timeline (pre-2015) events whose actor is a login no stored GitHub account
   * has: not written (a GitHub identity is keyed by numeric id, never by login). A later import,
   * after the API or webhooks have seen the account, writes them.
   */
  activitiesUnattributed: number;
  /** Lines that are not JSON objects, or events with an id or date a source key refuses. */
  malformedLines: number;
  /**
   * Files that could not be read to their end (truncated or empty gzip, unreadable): the events
   * read before the fault are imported, the import goes on with the next file, and each entry
   * says which file and why. Re-running the import after replacing a file adds only what is missing.
   */
  failedFiles: Array<{ file: string; error: string }>;
  /** Seconds since the import started. */
  elapsedSeconds: number;
  /** eventsRead / elapsedSeconds. */
  eventsPerSecond: number;
  /** activitiesWritten / elapsedSeconds. */
  activitiesPerSecond: number;
  /**
   * Busy seconds of the two database stages (they overlap each other and the reading): settling
   * and resolving actors, and inserting activities.
   */
  stageSeconds: { resolve: number; insert: number };
}

interface KeptEvent {
  repository: { id: number; fullName: string | null };
  drafts: ActivityDraft[];
}

interface Row {
  draft: ActivityDraft;
  repositoryId: number;
  actor: ActorRef;
  sourceKey: string;
}

interface Credited {
  row: Row;
  who: ResolvedIdentity;
}

/**
 * `cambrian import gharchive`: backfills activities from hourly GH Archive files
 * (https://www.gharchive.org/) of both formats, for no API cost.
 *
 * Files are streamed line by line (constant memory); the events of tracked repositories
 * ({@link TrackedRepositoryIndex}) are mapped by the pure mappers (`mapGharchiveEvent`) to
 * activities with the shared source keys (`activity-keys.ts`) and source `gharchive`, and
 * written in batches: actors resolved set-wise ({@link BulkIdentityResolver}, historical
 * logins never undo a rename), rows inserted with one `unnest` statement per batch and
 * `ON CONFLICT (source_key) DO NOTHING`. Reading, actor resolution and inserts of consecutive
 * batches overlap (a three-stage pipeline). An import is idempotent — a fact already stored by a
 * webhook, the API or an earlier import is skipped — so an interrupted import is resumed by
 * running it again.
 *
 * Identities: GitHub accounts by numeric id; timeline actors (logins only) through a
 * case-insensitive lookup of stored accounts (`facts.actor_from_login: true`); commit authors by
 * e-mail address as GH Archive gives it — with the local part replaced by its SHA-1 — so those
 * e-mail identities never meet the real addresses the API and webhooks report.
 */
@Injectable()
export class GharchiveImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Stage evaluation of the members of inserted activities (absent when constructed by hand). */
    @Optional() private readonly stageTrigger?: StageTrigger,
  ) {}

  /**
   * Imports a file (`.json.gz`, `.json`, `.ndjson`) or every such file of a directory.
   * @returns the final counters.
   * A file that cannot be read to its end (truncated or empty gzip) does not stop the import: the
   * events read before the fault are written and the file is listed in `failedFiles`.
   * @throws when `path` does not exist, or on a database error; batches already written stay.
   */
  async import(path: string, options: GharchiveImportOptions = {}): Promise<GharchiveImportProgress> {
    const files = await listGharchiveFiles(path);
    const tracked = options.all ? null : await TrackedRepositoryIndex.load(this.dataSource);
    const resolver = new BulkIdentityResolver(this.dataSource, { historicalLogins: true });
    const batchSize = options.batchSize ?? 10_000;
    const interval = options.progressIntervalMs ?? 1000;
    const started = performance.now();
    const progress: GharchiveImportProgress = {
      files: files.length,
      filesDone: 0,
      currentFile: null,
      eventsRead: 0,
      eventsKept: 0,
      activitiesWritten: 0,
      activitiesExisting: 0,
      activitiesUnattributed: 0,
      malformedLines: 0,
      failedFiles: [],
      elapsedSeconds: 0,
      eventsPerSecond: 0,
      activitiesPerSecond: 0,
      stageSeconds: { resolve: 0, insert: 0 },
    };
    let lastReport = started;
    const report = (force: boolean) => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - lastReport < interval)) return;
      lastReport = now;
      progress.elapsedSeconds = (now - started) / 1000;
      progress.eventsPerSecond = progress.elapsedSeconds > 0 ? progress.eventsRead / progress.elapsedSeconds : 0;
      progress.activitiesPerSecond = progress.elapsedSeconds > 0 ? progress.activitiesWritten / progress.elapsedSeconds : 0;
      options.onProgress({ ...progress, stageSeconds: { ...progress.stageSeconds } });
    };

    let batch: KeptEvent[] = [];
    let batchActivities = 0;
    // a pipeline over three stages that run at once: reading and mapping batch N+2 (here),
    // resolving the actors of batch N+1, inserting the activities of batch N (each stage on its
    // own connection, one batch at a time per stage, so at most three batches are held)
    let resolving: Promise<unknown> = Promise.resolve();
    const inserts: Array<Promise<void>> = [Promise.resolve()];
    const flush = async () => {
      const events = batch;
      batch = [];
      batchActivities = 0;
      await resolving;
      if (inserts.length >= 2) await inserts[inserts.length - 2];
      const prepared = timed(progress, 'resolve', () => this.prepareBatch(events, resolver, Boolean(options.all), progress));
      resolving = prepared.catch(() => undefined); // its error surfaces through the insert below
      const previous = inserts[inserts.length - 1];
      const inserted = Promise.all([prepared, previous]).then(([rows]) => timed(progress, 'insert', () => this.insertRows(rows, progress)));
      inserted.catch(() => undefined); // awaited later; handled here so it is never unhandled meanwhile
      inserts.push(inserted);
      if (inserts.length > 3) inserts.shift();
    };

    for (const file of files) {
      progress.currentFile = file;
      try {
        await readOneFile(file);
      } catch (error) {
        if (!(error instanceof GharchiveFileError)) throw error; // the database's: batches written stay
        progress.failedFiles.push({ file, error: error.reason });
        report(true);
      }
      progress.filesDone += 1;
    }
    await flush();
    await inserts[inserts.length - 1];
    progress.currentFile = null;
    report(true);
    progress.elapsedSeconds = (performance.now() - started) / 1000;
    progress.eventsPerSecond = progress.elapsedSeconds > 0 ? progress.eventsRead / progress.elapsedSeconds : 0;
    progress.activitiesPerSecond = progress.elapsedSeconds > 0 ? progress.activitiesWritten / progress.elapsedSeconds : 0;
    return progress;

    /** Reads one file into the batches (flushing full ones); a read fault throws GharchiveFileError. */
    async function readOneFile(file: string): Promise<void> {
      for await (const line of readGharchiveLines(file)) {
        if (tracked && !tracked.mightMatch(line)) {
          progress.eventsRead += 1; // names no tracked repository: not parsed
          report(false);
          continue;
        }
        let event: GharchiveEvent;
        try {
          const parsed: unknown = JSON.parse(line);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not an object');
          event = parsed as GharchiveEvent;
        } catch {
          progress.malformedLines += 1;
          continue;
        }
        progress.eventsRead += 1;
        const repository = eventRepository(event);
        const repositoryId = tracked ? tracked.match(repository) : repository.id;
        if (repositoryId === null) continue;
        progress.eventsKept += 1;
        let drafts: ActivityDraft[];
        try {
          drafts = mapGharchiveEvent(event, repositoryId);
        } catch {
          progress.malformedLines += 1; // an id or date a source key refuses
          continue;
        }
        if (drafts.length === 0) continue;
        batch.push({ repository: { id: repositoryId, fullName: repository.fullName }, drafts });
        batchActivities += drafts.length;
        if (batchActivities >= batchSize) await flush();
        report(false);
      }
    }
  }

  /** Settles a batch's drafts (login-only actors, star keys) and resolves their actors. */
  private async prepareBatch(events: KeptEvent[], resolver: BulkIdentityResolver, all: boolean, progress: GharchiveImportProgress): Promise<Credited[]> {
    if (events.length === 0) return [];
    if (all) await this.ensureRepositories(events);
    const accounts = await this.accountsByLogin(events);
    const rows: Row[] = [];
    const keys = new Set<string>();
    for (const event of events) {
      for (const draft of event.drafts) {
        const row = settle(draft, event.repository.id, accounts);
        if (!row) {
          progress.activitiesUnattributed += 1;
          continue;
        }
        if (keys.has(row.sourceKey)) continue; // the same fact twice in one batch
        keys.add(row.sourceKey);
        rows.push(row);
      }
    }
    if (rows.length === 0) return [];
    // no look-up of stored keys first: resolving the actors again is cheap (they exist), and the
    // insert's ON CONFLICT skips stored facts in the same statement
    const resolved = await resolver.resolveMany(rows.map((row) => row.actor));
    const credited = rows.flatMap((row, index) => (resolved[index] ? [{ row, who: resolved[index] }] : []));
    progress.activitiesExisting += rows.length - credited.length;
    return credited;
  }

  /** Inserts resolved activities in one statement; stored source keys are skipped. */
  private async insertRows(credited: Credited[], progress: GharchiveImportProgress): Promise<void> {
    if (credited.length === 0) return;
    // where the stages queue exists, the evaluations are requested by the insert itself (the outbox,
    // relayed by the workers): an import killed after its commit loses none of them
    const outbox = this.stageTrigger?.usesOutbox() ?? false;
    const [{ inserted, ids }]: Array<{ inserted: number; ids: string[] | null }> = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[])
         ON CONFLICT (source_key) DO NOTHING RETURNING id, member_id, type)
       ${outbox ? `, requested AS (${REQUEST_FROM_INSERTED_SQL})` : ''}
       SELECT count(*)::int AS inserted, array_agg(id::text) AS ids FROM inserted`,
      [
        credited.map(({ row }) => row.draft.type),
        credited.map(({ row }) => row.draft.occurredAt.toISOString()),
        credited.map(({ row }) => row.repositoryId),
        credited.map(({ who }) => who.identityId),
        credited.map(({ who }) => who.memberId),
        credited.map(() => 'gharchive'),
        credited.map(({ row }) => row.sourceKey),
        credited.map(({ row }) => JSON.stringify(row.draft.facts ?? {})),
      ],
    );
    progress.activitiesWritten += inserted;
    progress.activitiesExisting += credited.length - inserted;
    // one credit per member and commit, as ActivityService does (case I5)
    if (inserted > 0) await settleCommitCredits(this.dataSource, commitKeysToSettle(credited.map(({ row }) => row.sourceKey)));
    if (!outbox) await this.stageTrigger?.activitiesWritten(ids ?? []);
  }

  /** With `--all`: repository rows for events of untracked repositories (activities reference them). */
  private async ensureRepositories(events: KeptEvent[]): Promise<void> {
    const byId = new Map<number, string>();
    for (const { repository } of events) {
      if (repository.fullName?.includes('/')) byId.set(repository.id, repository.fullName);
    }
    const ids = [...byId.keys()].sort((a, b) => a - b);
    const names = ids.map((repositoryId) => byId.get(repositoryId)!);
    await this.dataSource.query(
      `INSERT INTO repository (id, owner, name, full_name)
       SELECT id, split_part(full_name, '/', 1), split_part(full_name, '/', 2), full_name
       FROM unnest($1::bigint[], $2::text[]) AS t(id, full_name)
       ON CONFLICT (id) DO NOTHING`,
      [ids, names],
    );
  }

  /** Stored GitHub accounts of the batch's login-only actors, by lower-cased login (latest updated wins). */
  private async accountsByLogin(events: KeptEvent[]): Promise<Map<string, GithubActor>> {
    const logins = new Set<string>();
    for (const event of events) {
      for (const draft of event.drafts) if (draft.actor.kind === 'login') logins.add(draft.actor.login.toLowerCase());
    }
    const accounts = new Map<string, GithubActor>();
    if (logins.size === 0) return accounts;
    const rows: Array<{ id: string; login: string; type: string }> = await this.dataSource.query(
      `SELECT DISTINCT ON (lower(login)) id, login, type FROM github_account
       WHERE lower(login) = ANY($1::text[]) ORDER BY lower(login), updated_at DESC`,
      [[...logins]],
    );
    for (const row of rows) accounts.set(row.login.toLowerCase(), { id: Number(row.id), login: row.login, type: row.type });
    return accounts;
  }
}

async function timed<T>(progress: GharchiveImportProgress, stage: 'resolve' | 'insert', work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    progress.stageSeconds[stage] += (performance.now() - started) / 1000;
  }
}

/** A draft with its actor and key settled, or null when a login-only actor has no stored account. */
function settle(draft: ActivityDraft, repositoryId: number, accounts: Map<string, GithubActor>): Row | null {
  if (draft.actor.kind !== 'login') {
    const sourceKey = draft.sourceKey;
    return sourceKey ? { draft, repositoryId, actor: draft.actor, sourceKey } : null;
  }
  const account = accounts.get(draft.actor.login.toLowerCase());
  if (!account) return null;
  const sourceKey = draft.sourceKey ?? starKey(repositoryId, account.id);
  const facts = { ...draft.facts, actor_from_login: true };
  return { draft: { ...draft, facts }, repositoryId, actor: { kind: 'github', account }, sourceKey };
}
