import type { Locale } from 'date-fns';
import type { DigestLocale } from '../../digest.types.js';
import type { DigestNextStep, DigestStage } from '../digest-content.types.js';

/**
 * Everything a digest says in words, per locale. Functions take plain values and return plain
 * text; the renderer escapes it for HTML. Every locale implements the whole interface, so a
 * missing message is a type error, not a blank in someone's inbox.
 */
export interface DigestMessages {
  locale: DigestLocale;
  /** `lang` attribute of the HTML. */
  htmlLang: string;
  dateLocale: Locale;
  /** date-fns patterns: a day (`23 Nov`), a day with the weekday, a day with the time. */
  dayFormat: string;
  dayTimeFormat: string;
  /** A date without weekday (`24 November 2026` / `2026年11月24日`). */
  dateFormat: string;
  /** A list heading with its count. */
  counted(title: string, count: number): string;
  /** The week's span, e.g. `23–29 November 2026` / `2026年11月23日至29日`. */
  weekSpan(start: Date, lastDay: Date, timeZone: string): string;
  /** Subject: names the week and one personal fact. */
  subject(args: { weekNumber: number; ecosystem: string | null; headline: string }): string;
  /** The personal fact of the subject, from the most telling thing of the week. */
  headline(args: {
    merged: number;
    reviews: number;
    issues: number;
    commits: number;
    firstRepository: string | null;
    /** News of the member's team: judging results (`result`) or resources allocated. */
    team: { hackathon: string; result: boolean } | null;
    openIssues: number;
    hackathon: string | null;
  }): string;
  preheader(args: { weekNumber: number; span: string }): string;
  greeting(name: string): string;
  /** One sentence on the week (called only when the member did something). */
  summary(args: { merged: number; reviews: number; issues: number; commits: number; opened: number; comments: number }): string;
  quietWeek: string;
  weekTitle(weekNumber: number): string;
  sections: { yourWeek: string; path: string; nextSteps: string; community: string };
  mergedTitle: string;
  reviewsTitle: string;
  issuesTitle: string;
  firstContributionsTitle: string;
  firstContribution(repository: string): string;
  reviewState(state: string | null): string;
  otherWork(args: { commits: number; opened: number; comments: number }): string | null;
  stageName(stage: DigestStage): string;
  stageNow(stage: DigestStage, since: string): string;
  next(step: DigestNextStep): string;
  maintainerNext: string;
  lapseWarning(date: string): string;
  rank(position: number, of: number): string;
  issuesHeading: string;
  issueOpened(date: string): string;
  hackathonsHeading: string;
  hackathonLine(args: { dates: string; deadline: string | null; registrationOpen: boolean; registered: boolean }): string;
  teamHeading: string;
  teamAllocations(team: string, hackathon: string): string;
  allocationUnits(units: number, kind: string): string;
  teamResult(args: { team: string; hackathon: string; rank: number; of: number }): string;
  welcome(count: number): string;
  andOthers(count: number): string;
  releasesHeading: string;
  release(repository: string, tag: string): string;
  footerWhy(ecosystem: string | null): string;
  preferences: string;
  unsubscribe: string;
  viewOnGithub: string;
}
