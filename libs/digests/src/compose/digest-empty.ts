import type { DigestContent } from './digest-content.types.js';

/**
 * Why a member gets no digest this week, or null when they get one. A digest is worth sending when
 * the member did something this week (merged, reviewed, opened, committed, commented) or there is
 * something for them to do (an open newcomer issue in a repository they know, an upcoming
 * hackathon of their ecosystem, news of their team). Their stage and the community's week alone
 * do not make a digest (issue 6: "a member with no activity and nothing to offer gets no e-mail").
 */
export function emptyReason(content: DigestContent): string | null {
  const w = content.yourWeek;
  const active = w.merged.length + w.reviews.length + w.issuesOpened.length + w.firstContributions.length + w.commits + w.pullRequestsOpened + w.comments > 0;
  const n = content.nextSteps;
  if (active || n.issues.length || n.hackathons.length || n.teams.length) return null;
  const zone = `${content.weekStart.toISOString()} to ${content.weekEnd.toISOString()}, weeks in ${content.timeZone}`;
  return (
    `no activity in ${content.week} (${zone}) and nothing to offer: no open good first issue or help wanted issue in a repository ` +
    `they were active in, no upcoming hackathon in their ecosystem${content.ecosystem ? ` (${content.ecosystem.slug})` : 's'}, no news of a team of theirs`
  );
}
