import { UnrecoverableError, type Job } from 'bullmq';
import type { CambrianConfig } from '#libs/config';
import {
  EcosystemSyncService,
  GithubAppAuthError,
  type EcosystemService,
  type GithubClients,
  type ProfileSyncService,
  type RedisTokenBudget,
  type RepositorySyncService,
  type SyncSchedulerService,
} from '#libs/github';
import { JobName } from '#libs/queue';
import { SecretsException, SecretsExceptionCode } from '#libs/secrets';
import { GithubSyncProcessor, UnknownJobError } from './github-sync.processor.js';

describe('GithubSyncProcessor', () => {
  const requested: number[] = [];
  const ecosystems = { listIds: async () => [3, 7, 12] } as unknown as EcosystemService;
  const scheduler = {
    requestDiscovery: async (ecosystemId: number) => {
      requested.push(ecosystemId);
      return { jobId: `discover-repositories-${ecosystemId}-x`, status: 'queued' as const };
    },
  } as unknown as SyncSchedulerService;
  const unused = {} as never;
  const ecosystemSync = new EcosystemSyncService(ecosystems, unused, unused, scheduler, unused);
  const budget = { delayForError: async () => null } as unknown as RedisTokenBudget;
  // no stored credentials: the environment's identity and budget
  const clients = { budgetFor: async () => budget, describeIdentity: async () => null } as unknown as GithubClients;
  const profileSync = { syncProfiles: async () => ({ requests: 2, notModified: 1 }) } as unknown as ProfileSyncService;
  const processor = new GithubSyncProcessor(ecosystemSync, {} as RepositorySyncService, { WORKER_CONCURRENCY: 1 } as CambrianConfig, clients, profileSync);
  const job = (name: string) => ({ id: '1', name, data: {} }) as unknown as Job;

  it('requests discovery of every ecosystem on the scheduled reconcile job', async () => {
    await expect(processor.process(job(JobName.ReconcileEcosystems))).resolves.toEqual([
      { ecosystemId: 3, jobId: 'discover-repositories-3-x', status: 'queued' },
      { ecosystemId: 7, jobId: 'discover-repositories-7-x', status: 'queued' },
      { ecosystemId: 12, jobId: 'discover-repositories-12-x', status: 'queued' },
    ]);
    expect(requested).toEqual([3, 7, 12]);
  });

  it('runs the scheduled profile sync', async () => {
    await expect(processor.process(job(JobName.SyncProfiles))).resolves.toEqual({ requests: 2, notModified: 1 });
  });

  it('fails a job whose GitHub App credentials GitHub refuses at once, without retries', async () => {
    const refused = new GithubAppAuthError('GitHub refused the JSON web token of GitHub App 12 (401: …); check GITHUB_APP_PRIVATE_KEY', 401);
    const repositorySync = { syncRepository: async () => Promise.reject(new Error('wrapped', { cause: refused })) } as unknown as RepositorySyncService;
    const failing = new GithubSyncProcessor(ecosystemSync, repositorySync, { WORKER_CONCURRENCY: 1 } as CambrianConfig, clients, profileSync);
    const error = await failing.process({ id: '2', name: JobName.SyncRepository, data: { repositoryId: 1 } } as unknown as Job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toContain('GITHUB_APP_PRIVATE_KEY');
  });

  const failingWith = (status: number, message: string) => {
    const error = Object.assign(new Error(message), { status });
    const repositorySync = { syncRepository: async () => Promise.reject(error) } as unknown as RepositorySyncService;
    const failing = new GithubSyncProcessor(ecosystemSync, repositorySync, { WORKER_CONCURRENCY: 1 } as CambrianConfig, clients, profileSync);
    return failing.process({ id: '3', name: JobName.SyncRepository, data: { repositoryId: 42 } } as unknown as Job).catch((e: unknown) => e);
  };

  it('fails a job GitHub answers 401 (a revoked token) at once, naming GITHUB_TOKEN', async () => {
    const error = await failingWith(401, 'Bad credentials');
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/GITHUB_TOKEN with 401 \(Bad credentials\)/);
  });

  it("names the ecosystem's stored identity when GitHub refuses it with 401", async () => {
    const error = Object.assign(new Error('Bad credentials'), { status: 401 });
    const repositorySync = { syncRepository: async () => Promise.reject(error) } as unknown as RepositorySyncService;
    const stored = { budgetFor: async () => budget, describeIdentity: async () => 'the GitHub token stored for ecosystem 3' } as unknown as GithubClients;
    const failing = new GithubSyncProcessor(ecosystemSync, repositorySync, { WORKER_CONCURRENCY: 1 } as CambrianConfig, stored, profileSync);
    const refused = await failing.process({ id: '4', name: JobName.SyncRepository, data: { repositoryId: 42 } } as unknown as Job).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnrecoverableError);
    expect((refused as Error).message).toBe('GitHub refused the GitHub token stored for ecosystem 3 with 401 (Bad credentials): the token is revoked, expired or wrong; set it again');
  });

  it('fails a job whose stored credentials do not decrypt at once, with their message', async () => {
    const error = new SecretsException('the GitHub token of ecosystem 3 could not be decrypted under key k00000000: authentication failed', SecretsExceptionCode.DECRYPT_FAILED);
    const repositorySync = { syncRepository: async () => Promise.reject(error) } as unknown as RepositorySyncService;
    const failing = new GithubSyncProcessor(ecosystemSync, repositorySync, { WORKER_CONCURRENCY: 1 } as CambrianConfig, clients, profileSync);
    const refused = await failing.process({ id: '5', name: JobName.SyncRepository, data: { repositoryId: 42 } } as unknown as Job).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnrecoverableError);
    expect((refused as Error).message).toContain('could not be decrypted under key k00000000');
  });

  it('fails a repository sync GitHub answers 404 (a deleted repository) at once, naming the repository', async () => {
    const error = await failingWith(404, 'Not Found');
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toContain('404 for repository 42');
  });

  it('leaves a 5xx that outlived the client retries to the queue retries', async () => {
    const error = await failingWith(502, 'Server Error');
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect((error as { status: number }).status).toBe(502);
  });

  it('fails a job name it has no handler for', async () => {
    await expect(processor.process(job('no-such-job'))).rejects.toBeInstanceOf(UnknownJobError);
  });
});
