import type { HackathonStatus, SubmissionEntity } from '#libs/hackathons';
import { accessAllowed } from '../../graphql/access/access-rule.js';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonRules } from '../hackathon-access.rules.js';

/**
 * The submissions of `submissions` (all of one hackathon, whose status is `status`) that the viewer
 * may read under `HackathonRules.submissionRead`, in their order: all once the hackathon is finished
 * or for an admin or organiser of it; otherwise the viewer's own team's and, for a judge, those assigned
 * to them that they have no conflict of interest with now.
 */
export async function visibleSubmissions(ctx: Pick<GqlContext, 'access'>, status: HackathonStatus, submissions: SubmissionEntity[]): Promise<SubmissionEntity[]> {
  const visible: SubmissionEntity[] = [];
  for (const submission of submissions) {
    const parent = { ...submission, hackathonStatus: status };
    if (await accessAllowed(HackathonRules.submissionRead, { access: ctx.access, args: {}, parent })) visible.push(submission);
  }
  return visible;
}
