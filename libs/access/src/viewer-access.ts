import DataLoader from 'dataloader';
import { isAdminViewer, type Viewer } from '#libs/auth';
import type { AccessGrantService } from './access-grant.service.js';
import type { AccessLookupService } from './access-lookup.service.js';
import type { HackathonRef, HackathonScope, OrganizerScope } from './access.types.js';

/**
 * The roles of one viewer for one request (issue 8), read lazily and once:
 * - ADMIN: an admin API token or an admin's session (everything);
 * - ORGANIZER: organiser grants of the session's member (an ecosystem covers its hackathons);
 * - JUDGE: judge rows of the session's member (through merges);
 * - MEMBER: a session's own member.
 * API tokens act for no member: they hold ADMIN (the only token role) and nothing else.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ViewerAccess {
  private organizerScopes?: Promise<OrganizerScope[]>;
  private judged?: Promise<Set<string>>;
  private readonly hackathons = new Map<string, Promise<HackathonScope | null>>();
  private readonly conflicts = new Map<string, Promise<Set<string>>>();
  private readonly assignments = new Map<string, Promise<Set<string>>>();
  /** Members' `member_root`s, batched: a page of members asks for them in one statement. */
  private readonly roots = new DataLoader<string, string | null>((ids) => this.lookup.memberRoots(ids));

  constructor(
    readonly viewer: Viewer,
    private readonly grants: AccessGrantService,
    private readonly lookup: AccessLookupService,
    private readonly resolveMemberRef: (ref: string) => Promise<string>,
  ) {}

  /** True for an admin token or session. */
  get isAdmin(): boolean {
    return isAdminViewer(this.viewer);
  }

  /** True when the request carries credentials (a token or a session). */
  get isAuthenticated(): boolean {
    return Boolean(this.viewer.role);
  }

  /** The signed-in member's id (sessions only), else null. */
  get memberId(): string | null {
    return this.viewer.sessionId ? (this.viewer.memberId ?? null) : null;
  }

  /** The ecosystems and hackathons the signed-in member organises (empty for a token or the public). */
  organizerGrants(): Promise<OrganizerScope[]> {
    const memberId = this.memberId;
    if (!memberId) return Promise.resolve([]);
    return (this.organizerScopes ??= this.grants.organizerScopesOf(memberId));
  }

  /** Ids of the hackathons the signed-in member judges. */
  judgedHackathons(): Promise<Set<string>> {
    const memberId = this.memberId;
    if (!memberId) return Promise.resolve(new Set());
    return (this.judged ??= this.lookup.judgedHackathonIds(memberId).then((ids) => new Set(ids)));
  }

  /** The hackathon a reference names, cached for the request. */
  hackathonOf(ref: HackathonRef): Promise<HackathonScope | null> {
    const key = JSON.stringify(ref);
    let found = this.hackathons.get(key);
    if (!found) this.hackathons.set(key, (found = this.lookup.hackathonOf(ref)));
    return found;
  }

  /** True when the signed-in member organises the hackathon or its ecosystem. */
  async organizes(scope: HackathonScope | null): Promise<boolean> {
    if (!scope) return false;
    const grants = await this.organizerGrants();
    return grants.some((grant) => grant.hackathonId === scope.hackathonId || grant.ecosystemId === scope.ecosystemId);
  }

  /** True when the signed-in member organises the ecosystem as a whole. */
  async organizesEcosystem(ecosystemId: number | null): Promise<boolean> {
    if (ecosystemId == null) return false;
    return (await this.organizerGrants()).some((grant) => grant.ecosystemId === ecosystemId);
  }

  /** True for an admin, or an organiser of the hackathon (or its ecosystem). */
  async managesHackathon(scope: HackathonScope | null): Promise<boolean> {
    return this.isAdmin || (await this.organizes(scope));
  }

  /** True when the signed-in member is a judge of the hackathon. */
  async judges(scope: HackathonScope | null): Promise<boolean> {
    return scope != null && (await this.judgedHackathons()).has(scope.hackathonId);
  }

  /**
   * Whose judging rows the viewer may read in the hackathon: null for everything (an admin or an
   * organiser), else the signed-in member's id (a judge sees only their own assignments and scores).
   */
  async judgingReadScope(scope: HackathonScope): Promise<{ judgeMemberId: string } | null> {
    if (await this.managesHackathon(scope)) return null;
    return { judgeMemberId: this.memberId ?? '00000000-0000-0000-0000-000000000000' };
  }

  /**
   * True when `memberId` is the signed-in member (through merges: the same `member_root`). The roots of
   * the members a request asks about are read together, once (a DataLoader per request).
   */
  async isSelf(memberId: string | null | undefined): Promise<boolean> {
    const own = this.memberId;
    if (!own || !memberId) return false;
    if (own === memberId) return true;
    const [ownRoot, root] = await Promise.all([this.roots.load(own), this.roots.load(memberId.toLowerCase())]);
    return ownRoot !== null && ownRoot === root;
  }

  /**
   * True when a member reference (a member id or a GitHub login, as the API's `member` arguments take)
   * names the signed-in member; false for an unknown or malformed reference. An id is compared without
   * being looked up first (an unknown id has no root).
   */
  async isSelfRef(ref: string | null | undefined): Promise<boolean> {
    if (!this.memberId || !ref) return false;
    const trimmed = ref.trim();
    const memberId = UUID.test(trimmed) ? trimmed : await this.resolveMemberRef(ref).catch(() => null);
    return this.isSelf(memberId);
  }

  /** The id of the ecosystem with this slug, or null. */
  ecosystemIdOf(slug: string): Promise<number | null> {
    return this.lookup.ecosystemIdOf(slug);
  }

  /** The team of a resource request, or null. */
  teamOfResourceRequest(id: unknown): Promise<string | null> {
    return typeof id === 'string' ? this.lookup.teamOfResourceRequest(id) : Promise.resolve(null);
  }

  /** True when the signed-in member is in the team. */
  async inTeam(teamId: string | null | undefined): Promise<boolean> {
    const own = this.memberId;
    return Boolean(own && teamId) && this.lookup.isInTeam(own!, teamId!);
  }

  /** Submissions of the hackathon the signed-in member, as a judge, has a conflict of interest with now. */
  conflictedSubmissions(hackathonId: string): Promise<Set<string>> {
    const own = this.memberId;
    if (!own) return Promise.resolve(new Set());
    let found = this.conflicts.get(hackathonId);
    if (!found) this.conflicts.set(hackathonId, (found = this.lookup.conflictedSubmissionIds(hackathonId, own)));
    return found;
  }

  /**
   * True when the signed-in member may read submission `submissionId` of hackathon `hackathonId` as
   * its judge: they are assigned to it (`judge_assignment`, through merges) and have no conflict of
   * interest with it now ({@link conflictedSubmissions}: the same rule that hides it from their
   * `judgeAssignments`). False for a token, the public, a judge not assigned to it, and a conflicted one.
   */
  async judgesSubmission(hackathonId: string | null | undefined, submissionId: string | null | undefined): Promise<boolean> {
    const own = this.memberId;
    if (!own || !hackathonId || !submissionId) return false;
    let assigned = this.assignments.get(hackathonId);
    if (!assigned) this.assignments.set(hackathonId, (assigned = this.lookup.assignedSubmissionIds(hackathonId, own)));
    if (!(await assigned).has(submissionId)) return false;
    return !(await this.conflictedSubmissions(hackathonId)).has(submissionId);
  }
}
