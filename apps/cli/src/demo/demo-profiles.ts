import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { ProfileSyncResult } from '#libs/github';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { graphqlRequest } from './graphql-client.js';
import { waitForJob } from './wait-for-job.js';

const MEMBER_AFFILIATIONS = `query MemberAffiliations($login: String!) {
  member(login: $login) { login affiliations { source startsAt endsAt organization { name } evidence { company } } }
}`;

interface MemberAffiliationsAnswer {
  member: {
    login: string;
    affiliations: Array<{ source: string; startsAt: string | null; endsAt: string | null; organization: { name: string }; evidence: { company: string | null } | null }>;
  } | null;
}

/**
 * Runs the profile sync once, now, in the worker (a `sync-profiles` job on the `github-sync` queue,
 * as its scheduler would start it), waits for it, and returns summary lines: profiles asked and
 * how they answered, the profile affiliations that exist, and one member's affiliations as GraphQL
 * answers them. On the simulator the `company` fields are SIMULATED from commit e-mail domains
 * (apps/github-sim/src/seed/profile-companies.ts).
 * @throws Error when the job fails or does not finish within `timeoutMs`.
 */
export async function runDemoProfileSync(
  graphqlUrl: string,
  token: string,
  redis: { url: string; prefix: string },
  dataSource: DataSource,
  timeoutMs: number,
): Promise<string[]> {
  const connection = redisConnectionOptions(redis.url);
  const queue = new Queue(QueueName.GithubSync, { connection, prefix: redis.prefix });
  let result: ProfileSyncResult;
  try {
    const job = await queue.add(JobName.SyncProfiles, {}, { jobId: `sync-profiles-demo-${Date.now()}`, removeOnComplete: 100, removeOnFail: 100 });
    result = await waitForJob<ProfileSyncResult>(queue, job.id!, timeoutMs);
  } finally {
    await queue.close();
  }
  const [counts]: Array<{ companies: number; members: number; organizations: number }> = await dataSource.query(
    `SELECT (SELECT count(*)::int FROM github_account WHERE company IS NOT NULL) AS companies,
            count(DISTINCT member_id)::int AS members, count(DISTINCT organization_id)::int AS organizations
       FROM affiliation WHERE source = 'profile'`,
  );
  const lines = [
    `profiles: asked ${result.requests} GitHub profiles (${result.fetched} answered, ${result.notModified} unchanged 304s, ` +
      `${result.missing} gone); ${counts.companies} show a company` +
      (result.requests === 0 ? ' (all were asked within GITHUB_PROFILE_REFRESH_SECONDS)' : ''),
    `profile affiliations: ${counts.members} members with ${counts.organizations} organisations, open from the day each profile ` +
      'was first read (the company text must name a known organisation: unknown companies and webmail addresses make none)',
  ];
  const [example]: Array<{ login: string }> = await dataSource.query(
    `SELECT m.login FROM affiliation af JOIN member m ON m.id = af.member_id
      WHERE af.source = 'profile' AND m.login IS NOT NULL ORDER BY m.login LIMIT 1`,
  );
  if (example) {
    const { member } = await graphqlRequest<MemberAffiliationsAnswer>(graphqlUrl, MEMBER_AFFILIATIONS, { login: example.login }, token);
    for (const affiliation of member?.affiliations ?? []) {
      const range = `${affiliation.startsAt?.slice(0, 10) ?? '…'} – ${affiliation.endsAt?.slice(0, 10) ?? 'now'}`;
      const company = affiliation.evidence?.company ? ` (profile says "${affiliation.evidence.company}")` : '';
      lines.push(`  @${member!.login}: ${affiliation.organization.name}, ${affiliation.source}, ${range}${company}`);
    }
  }
  return lines;
}
