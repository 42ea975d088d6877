/** A window of UTC instants `[since, until)`; `since` null is open. */
interface Window {
  since: Date | null;
  until: Date;
}

/** New Contributors: how many persons contributed for the first time in the window, and who. */
export interface NewContributors extends Window {
  count: number;
  /** The earliest of them (up to `first`), oldest first contribution first. */
  contributors: Array<{ memberId: string; firstContributionAt: Date }>;
}

/** Response times of a set of items, in seconds. */
export interface ResponseTimeStats {
  /** Items opened in the window. */
  items: number;
  /** Items that got a first response (at any time). */
  responded: number;
  /** Items still without a response. */
  unresponded: number;
  /** Null when no item got a response. */
  medianSeconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

/** Time to First Response of issues, pull requests and both. */
export interface TimeToFirstResponse extends Window {
  issues: ResponseTimeStats;
  pullRequests: ResponseTimeStats;
  all: ResponseTimeStats;
}

/** Change Request Closure Ratio and the counts behind it. */
export interface ChangeRequestClosureRatio extends Window {
  /** Pull requests open at any instant of the window. */
  openDuringPeriod: number;
  /** Pull requests created in the window. */
  opened: number;
  /** Pull requests closed (merged or not) in the window. */
  closed: number;
  merged: number;
  closedUnmerged: number;
  /** `closed / openDuringPeriod`, null when nothing was open. */
  ratio: number | null;
}

/** Contributor Absence Factor (bus factor) and the contributors who make it. */
export interface ContributorAbsence extends Window {
  factor: number;
  /** All persons' contributions in the window. */
  contributions: number;
  /** Persons with at least one contribution in the window. */
  contributorCount: number;
  contributors: Array<{ memberId: string; contributions: number; share: number }>;
}

/** One organisation's part of the contributions. */
export interface OrganizationContribution {
  organizationId: string;
  name: string;
  /** Whether the organisation pays (a customer). */
  isCustomer: boolean;
  contributions: number;
  /** Persons whose contributions were credited to it. */
  contributors: number;
  /** `contributions` over all persons' contributions in the window (0–1). */
  share: number;
}

/** Organizational Diversity: contributions per credited organisation. */
export interface OrganizationalDiversity extends Window {
  /** All persons' contributions in the window. */
  contributions: number;
  /** Organisations credited with at least one contribution. */
  organizationCount: number;
  /** Contributions credited to no organisation, and by how many persons. */
  unaffiliatedContributions: number;
  unaffiliatedContributors: number;
  /** Most contributions first. */
  organizations: OrganizationContribution[];
}
