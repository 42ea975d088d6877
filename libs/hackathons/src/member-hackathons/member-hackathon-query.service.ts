import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import type { HackathonStatus } from '../events/hackathon.entity.js';
import { JudgingResultsService } from '../judging/judging-results.service.js';
import type { ResourceKind } from '../resources/resource.types.js';
import type { MemberHackathonView, PublishedAllocationView, PublishedResult } from './member-hackathon.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True once a hackathon's judging results are published: when it is FINISHED (as its submissions become public). */
export function resultsPublished(status: HackathonStatus): boolean {
  return status === 'finished';
}

interface MemberHackathonRow {
  root: string;
  registration_id: string;
  hackathon_id: string;
  hackathon_slug: string;
  ecosystem_id: number;
  status: HackathonStatus;
  registered_at: Date;
  withdrawn_at: Date | null;
  team_id: string | null;
  is_captain: boolean | null;
  submission_id: string | null;
}

/**
 * A member's hackathons (batched for DataLoaders): registrations, team, submission, published
 * results and allocations. Hackathon rows stay under the member who made them when members merge
 * (common/member-root.ts), so a member's hackathons are those of the member and of every member
 * merged into it; a member merged into another has none of its own (they are the survivor's).
 */
@Injectable()
export class MemberHackathonQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly results: JudgingResultsService,
  ) {}

  /**
   * The hackathons of each member, in order: newest event start first, then newest registration.
   * One per hackathon: when merged members both registered, the active registration (else the
   * earliest withdrawn one). Drafts never appear (registration opens after the draft). A malformed
   * or unknown id, or a merged member, has none.
   */
  async byMemberIds(memberIds: readonly string[]): Promise<MemberHackathonView[][]> {
    const valid = [...new Set(memberIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    const rows: MemberHackathonRow[] = valid.length
      ? await this.dataSource.query(
          `WITH RECURSIVE grp(root, id) AS (
             SELECT m.id, m.id FROM member m WHERE m.id = ANY($1::uuid[]) AND m.merged_into_id IS NULL
             UNION SELECT grp.root, m.id FROM member m JOIN grp ON m.merged_into_id = grp.id
           ), reg AS (
             SELECT DISTINCT ON (grp.root, r.hackathon_id) grp.root, r.id, r.hackathon_id, r.registered_at, r.withdrawn_at
               FROM hackathon_registration r JOIN grp ON grp.id = r.member_id
              ORDER BY grp.root, r.hackathon_id, (r.withdrawn_at IS NULL) DESC, r.registered_at, r.id
           )
           SELECT reg.root, reg.id AS registration_id, reg.hackathon_id, h.slug AS hackathon_slug, h.ecosystem_id, h.status,
                  reg.registered_at, reg.withdrawn_at, team.id AS team_id,
                  ${memberRootSql('team.captain_member_id')} = reg.root AS is_captain, s.id AS submission_id
             FROM reg JOIN hackathon h ON h.id = reg.hackathon_id
             LEFT JOIN LATERAL (
               SELECT t.id, t.captain_member_id FROM team_member tm JOIN team t ON t.id = tm.team_id
                WHERE t.hackathon_id = reg.hackathon_id AND tm.member_id IN (SELECT g.id FROM grp g WHERE g.root = reg.root)
                ORDER BY tm.joined_at, t.id LIMIT 1) team ON true
             LEFT JOIN submission s ON s.team_id = team.id
            ORDER BY reg.root, h.starts_at DESC, reg.registered_at DESC, reg.id`,
          [valid],
        )
      : [];
    const byMember = new Map<string, MemberHackathonView[]>();
    for (const row of rows) {
      const list = byMember.get(row.root) ?? [];
      byMember.set(row.root, list);
      list.push({
        memberId: row.root,
        hackathonId: row.hackathon_id,
        hackathonSlug: row.hackathon_slug,
        ecosystemId: row.ecosystem_id,
        hackathonStatus: row.status,
        registrationId: row.registration_id,
        registeredAt: row.registered_at,
        withdrawnAt: row.withdrawn_at,
        teamId: row.team_id,
        isCaptain: row.is_captain === true,
        submissionId: row.submission_id,
      });
    }
    return memberIds.map((id) => byMember.get(id.toLowerCase()) ?? []);
  }

  /**
   * The published result of each submission of `entries` (its hackathon's status and slug with it):
   * rank and raw mean score as `JudgingResultsService.results(slug, false)` computes them, once the
   * hackathon is FINISHED ({@link resultsPublished}); null before, and for an unknown submission.
   * One computation per hackathon.
   */
  async publishedResults(entries: ReadonlyArray<{ submissionId: string; hackathonSlug: string; hackathonStatus: HackathonStatus }>): Promise<Array<PublishedResult | null>> {
    const slugs = [...new Set(entries.filter((entry) => resultsPublished(entry.hackathonStatus)).map((entry) => entry.hackathonSlug))];
    const bySlug = new Map(await Promise.all(slugs.map(async (slug) => [slug, await this.results.results(slug, false)] as const)));
    return entries.map((entry) => {
      const results = resultsPublished(entry.hackathonStatus) ? bySlug.get(entry.hackathonSlug) : undefined;
      const found = results?.submissions.find((submission) => submission.submissionId === entry.submissionId);
      return found && results ? { rank: found.rank, score: found.rawMean, submissions: results.submissions.length } : null;
    });
  }

  /** What each team's hackathon's published matching run gives it, by resource name (empty before publication). */
  async publishedAllocationsByTeamIds(teamIds: readonly string[]): Promise<PublishedAllocationView[][]> {
    const valid = teamIds.filter((id) => UUID.test(id));
    const rows: Array<{ team_id: string; resource_id: string; name: string; kind: ResourceKind; units: number }> = valid.length
      ? await this.dataSource.query(
          `SELECT a.team_id, a.resource_id, r.name, r.kind, a.units
             FROM allocation a JOIN matching_run run ON run.id = a.run_id AND run.status = 'published'
             JOIN resource r ON r.id = a.resource_id
            WHERE a.team_id = ANY($1::uuid[]) ORDER BY a.team_id, lower(r.name), r.id`,
          [valid],
        )
      : [];
    return teamIds.map((id) =>
      rows
        .filter((row) => row.team_id === id)
        .map((row) => ({ teamId: row.team_id, resourceId: row.resource_id, resourceName: row.name, resourceKind: row.kind, units: row.units })),
    );
  }
}
