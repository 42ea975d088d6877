import { enGB } from 'date-fns/locale/en-GB';
import { formatInTimeZone } from 'date-fns-tz';
import type { DigestStage } from '../digest-content.types.js';
import type { DigestMessages } from './digest-messages.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Joins `a`, `a and b`, `a, b and c`. */
function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

const STAGES: Record<DigestStage, string> = {
  OBSERVER: 'observer',
  USER: 'user',
  FIRST_TIME_CONTRIBUTOR: 'first-time contributor',
  REGULAR_CONTRIBUTOR: 'regular contributor',
  MAINTAINER: 'maintainer',
  LAPSED: 'returning contributor',
};

const KINDS: Record<string, [string, string]> = {
  gpu_hours: ['GPU hour', 'GPU hours'],
  api_credits: ['API credit', 'API credits'],
  mentor_hours: ['mentor hour', 'mentor hours'],
  dataset: ['dataset', 'datasets'],
  other: ['unit', 'units'],
};

/** English (British date order: 23 November 2026). */
export const en: DigestMessages = {
  locale: 'en',
  htmlLang: 'en',
  dateLocale: enGB,
  dayFormat: 'EEE d MMM',
  dayTimeFormat: 'EEE d MMM, HH:mm',
  dateFormat: 'd MMMM yyyy',
  counted: (title, count) => `${title} (${count})`,
  weekSpan(start, lastDay, timeZone) {
    const sameMonth = formatInTimeZone(start, timeZone, 'yyyy-MM') === formatInTimeZone(lastDay, timeZone, 'yyyy-MM');
    const sameYear = formatInTimeZone(start, timeZone, 'yyyy') === formatInTimeZone(lastDay, timeZone, 'yyyy');
    const from = formatInTimeZone(start, timeZone, sameMonth ? 'd' : sameYear ? 'd MMMM' : 'd MMMM yyyy', { locale: enGB });
    return `${from}–${formatInTimeZone(lastDay, timeZone, 'd MMMM yyyy', { locale: enGB })}`;
  },
  subject: ({ weekNumber, ecosystem, headline }) => `Your week ${weekNumber}${ecosystem ? ` in ${ecosystem}` : ''}: ${headline}`,
  headline({ merged, reviews, issues, commits, firstRepository, team, openIssues, hackathon }) {
    if (firstRepository) return `your first contribution to ${firstRepository}`;
    if (merged) return `${plural(merged, 'pull request')} merged`;
    if (reviews) return `${plural(reviews, 'review')} given`;
    if (issues) return `${plural(issues, 'issue')} opened`;
    if (commits) return `${plural(commits, 'commit')} landed`;
    if (team) return team.result ? `the results of ${team.hackathon} are out` : `resources for your team in ${team.hackathon}`;
    if (hackathon) return `${hackathon} is coming up`;
    if (openIssues) return `${plural(openIssues, 'open issue')} looking for help`;
    return 'what happened in the community';
  },
  preheader: ({ weekNumber, span }) => `Week ${weekNumber}, ${span}: what you did, where you stand, and what's next.`,
  greeting: (name) => `Hi ${name},`,
  summary({ merged, reviews, issues, commits, opened, comments }) {
    const parts: string[] = [];
    if (merged) parts.push(`had ${plural(merged, 'pull request')} merged`);
    if (reviews) parts.push(`reviewed ${plural(reviews, 'pull request')}`);
    if (issues) parts.push(`opened ${plural(issues, 'issue')}`);
    if (!parts.length && commits) parts.push(`landed ${plural(commits, 'commit')}`);
    if (!parts.length && opened) parts.push(`opened ${plural(opened, 'pull request')}`);
    if (!parts.length && comments) parts.push(`wrote ${plural(comments, 'comment')}`);
    return `This week you ${list(parts)}. Thank you!`;
  },
  quietWeek: 'A quiet week for you — here is what is open in the community.',
  weekTitle: (weekNumber) => `Week ${weekNumber}`,
  sections: { yourWeek: 'Your week', path: 'Your path', nextSteps: 'Next steps', community: 'The community' },
  mergedTitle: 'Merged pull requests',
  reviewsTitle: 'Reviews',
  issuesTitle: 'Issues you opened',
  firstContributionsTitle: 'New repositories',
  firstContribution: (repository) => `Your first contribution to ${repository} — welcome aboard.`,
  reviewState(state) {
    switch (state) {
      case 'APPROVED':
        return 'approved';
      case 'CHANGES_REQUESTED':
        return 'changes requested';
      default:
        return 'commented';
    }
  },
  otherWork({ commits, opened, comments }) {
    const parts: string[] = [];
    if (commits) parts.push(plural(commits, 'commit'));
    if (opened) parts.push(`${plural(opened, 'pull request')} opened`);
    if (comments) parts.push(plural(comments, 'comment'));
    return parts.length ? `Also: ${list(parts)}.` : null;
  },
  stageName: (stage) => STAGES[stage],
  stageNow: (stage, since) =>
    stage === 'LAPSED' ? `You have been away since ${since}. We would love to see you back.` : `You have been a ${STAGES[stage]} since ${since}.`,
  next(step) {
    switch (step.kind) {
      case 'first_contribution':
        return 'One merged pull request (or a commit on a default branch) makes you a first-time contributor.';
      case 'regular':
        return step.needed === 1
          ? `1 more accepted contribution in the next ${plural(step.withinWeeks, 'week')} makes you a regular contributor.`
          : `${step.needed} more accepted contributions, each in a different week, in the next ${step.withinWeeks} weeks make you a regular contributor.`;
      case 'maintainer':
        return `Merging ${plural(step.merges, 'pull request')} of others, or approving ${step.approvals}, makes you a maintainer.`;
      case 'return':
        return `One accepted contribution brings you back as a ${STAGES[step.to]}.`;
    }
  },
  maintainerNext: 'You have reached the last stage: thank you for looking after the project.',
  lapseWarning: (date) => `Your last contribution is getting old: one before ${date} keeps your stage.`,
  rank: (position, of) => `You were #${position} of ${of} active contributors this week.`,
  issuesHeading: 'Issues looking for help in repositories you know',
  issueOpened: (date) => `opened ${date}`,
  hackathonsHeading: 'Upcoming hackathons',
  hackathonLine({ dates, deadline, registrationOpen, registered }) {
    if (registered) return `${dates} · you are registered`;
    if (registrationOpen && deadline) return `${dates} · register by ${deadline}`;
    if (registrationOpen) return `${dates} · registration is open`;
    return dates;
  },
  teamHeading: 'Your team',
  teamAllocations: (team, hackathon) => `${team} (${hackathon}) received:`,
  allocationUnits(units, kind) {
    const [one, many] = KINDS[kind] ?? KINDS.other;
    return `${units} ${units === 1 ? one : many}`;
  },
  teamResult: ({ team, hackathon, rank, of }) => `${hackathon} has its results: ${team} placed #${rank} of ${of}.`,
  welcome: (count) => `Say hello to ${plural(count, 'first-time contributor')} this week:`,
  andOthers: (count) => `and ${count} more`,
  releasesHeading: 'Released this week',
  release: (repository, tag) => `${repository} ${tag}`,
  footerWhy: (ecosystem) => `You receive this weekly digest as a member of ${ecosystem ?? 'the community'} on Cambrian.`,
  preferences: 'E-mail preferences',
  unsubscribe: 'Unsubscribe',
  viewOnGithub: 'View on GitHub',
};
