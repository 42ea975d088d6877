import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, notFound } from '../common/hackathon.exception.js';
import { memberRootSql } from '../common/member-root.js';
import { ParticipantService, participantName } from '../common/participant.service.js';
import { refuseNul } from '../common/text-input.js';
import { assertSubmissionsOpen } from '../events/event-phase.js';
import { parseUuid } from '../events/hackathon-ref.js';
import { HackathonService } from '../events/hackathon.service.js';
import {
  MAX_SUBMISSION_PULL_REQUESTS,
  normaliseLinks,
  parseGithubRepositoryUrl,
  parsePullRequestRef,
} from './submission-input.js';
import { SubmissionEntity } from './submission.entity.js';

/** A team's submission as given (null or absent fields keep their value on an update). */
export interface SubmissionInput {
  /** 1–200 characters; required for the first submission. */
  title?: string | null;
  description?: string | null;
  /** A github.com repository URL; an empty string removes it. */
  repositoryUrl?: string | null;
  /** http/https URLs; replaces the list. */
  links?: string[] | null;
  /** `owner/name#number`, a pull request URL or GitHub's numeric id; replaces the list. */
  pullRequests?: string[] | null;
}

/** Options of {@link SubmissionService.save}. */
export interface SubmissionOptions {
  /** The member acting (id or login); when given, it must be a member of the team. */
  actingMember?: string | null;
}

/**
 * Submissions: one per team, made and edited while the event runs (late edits in judging are
 * refused, so judges score a fixed submission), by a team with at least `min_team_size` members.
 * The repository URL is normalised and linked to the repository row when Cambrian knows the
 * repository; linked pull requests must be known to Cambrian (synced).
 */
@Injectable()
export class SubmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participants: ParticipantService,
    private readonly hackathons: HackathonService,
  ) {}

  /**
   * Creates or updates a team's submission.
   * @throws HackathonException BAD_USER_INPUT (title, description, URL, links, pull request
   *   references), NOT_FOUND (team; pull requests Cambrian does not know), CONFLICT (the event is not
   *   running; the team is below the minimum size; the acting member is not in the team).
   */
  async save(teamId: string, input: SubmissionInput, options: SubmissionOptions = {}): Promise<SubmissionEntity> {
    const id = parseUuid(teamId, 'team');
    const title = input.title == null ? null : input.title.trim().replace(/\s+/g, ' ');
    if (title !== null && (!title || title.length > 200)) throw badInput('title: must be 1–200 characters');
    if (input.description != null && input.description.length > 20_000) throw badInput('description: must be at most 20000 characters');
    refuseNul({ title, description: input.description }, badInput);
    const repository = input.repositoryUrl == null ? undefined : input.repositoryUrl.trim() === '' ? null : parseGithubRepositoryUrl(input.repositoryUrl);
    const links = input.links == null ? null : normaliseLinks(input.links);
    const pullRequestRefs = input.pullRequests == null ? null : input.pullRequests.map(parsePullRequestRef);
    if (pullRequestRefs && pullRequestRefs.length > MAX_SUBMISSION_PULL_REQUESTS) {
      throw badInput(`pullRequests: at most ${MAX_SUBMISSION_PULL_REQUESTS}`);
    }
    return this.dataSource.transaction(async (manager) => {
      const [team]: Array<{ id: string; hackathon_id: string; name: string }> = await manager.query(
        `SELECT id, hackathon_id, name FROM team WHERE id = $1`,
        [id],
      );
      if (!team) throw notFound(`No team ${teamId}`);
      const hackathon = await this.hackathons.lock(manager, team.hackathon_id, 'pessimistic_read');
      assertSubmissionsOpen(hackathon);
      await manager.query(`SELECT id FROM team WHERE id = $1 FOR UPDATE`, [team.id]);
      if (options.actingMember != null) {
        const acting = await this.participants.resolve(manager, options.actingMember);
        const [inTeam] = await manager.query(`SELECT 1 FROM team_member WHERE team_id = $1 AND ${memberRootSql('member_id')} = $2`, [
          team.id,
          acting.memberId,
        ]);
        if (!inTeam) throw conflict(`${participantName(acting)} is not a member of team "${team.name}"`);
      }
      const [{ size }]: Array<{ size: number }> = await manager.query(
        `SELECT count(DISTINCT ${memberRootSql('member_id')})::int AS size FROM team_member WHERE team_id = $1`,
        [team.id],
      );
      if (size < hackathon.minTeamSize) {
        throw conflict(`Team "${team.name}" has ${size} member(s): ${hackathon.slug} needs at least ${hackathon.minTeamSize} to submit`);
      }
      const pullRequestIds = pullRequestRefs ? await this.resolvePullRequests(manager, input.pullRequests!, pullRequestRefs) : null;
      const repositoryId = repository ? await this.repositoryId(manager, repository.fullName) : null;
      const [existing] = await manager.query(`SELECT id FROM submission WHERE team_id = $1`, [team.id]);
      let submissionId: string;
      if (!existing) {
        if (!title) throw badInput('title: a first submission needs a title');
        const [row]: Array<{ id: string }> = await manager.query(
          `INSERT INTO submission (hackathon_id, team_id, title, description, repository_url, repository_id, links)
           VALUES ($1, $2, $3, $4, $5, $6, $7::text[]) RETURNING id`,
          [hackathon.id, team.id, title, input.description ?? '', repository?.url ?? null, repositoryId, links ?? []],
        );
        submissionId = row.id;
      } else {
        submissionId = existing.id;
        await manager.query(
          `UPDATE submission SET title = COALESCE($2, title), description = COALESCE($3, description),
                  repository_url = CASE WHEN $4 THEN $5 ELSE repository_url END,
                  repository_id = CASE WHEN $4 THEN $6::bigint ELSE repository_id END,
                  links = COALESCE($7::text[], links), updated_at = now()
            WHERE id = $1`,
          [submissionId, title, input.description ?? null, repository !== undefined, repository?.url ?? null, repositoryId, links],
        );
      }
      if (pullRequestIds) {
        await manager.query(`DELETE FROM submission_pull_request WHERE submission_id = $1`, [submissionId]);
        await manager.query(
          `INSERT INTO submission_pull_request (submission_id, pull_request_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
          [submissionId, pullRequestIds],
        );
      }
      const saved = await manager.getRepository(SubmissionEntity).findOneBy({ id: submissionId });
      return saved!;
    });
  }

  /** GitHub ids of the referenced pull requests. @throws NOT_FOUND naming each unknown one. */
  private async resolvePullRequests(
    manager: EntityManager,
    raw: readonly string[],
    refs: ReturnType<typeof parsePullRequestRef>[],
  ): Promise<number[]> {
    const ids: number[] = [];
    const missing: string[] = [];
    for (const [index, ref] of refs.entries()) {
      const rows: Array<{ id: string }> =
        ref.kind === 'id'
          ? await manager.query(`SELECT id::text AS id FROM pull_request WHERE id = $1`, [ref.id])
          : await manager.query(
              `SELECT p.id::text AS id FROM pull_request p JOIN repository r ON r.id = p.repository_id
                WHERE lower(r.full_name) = lower($1) AND p.number = $2 ORDER BY r.updated_at DESC LIMIT 1`,
              [ref.fullName, ref.number],
            );
      if (rows.length) ids.push(Number(rows[0].id));
      else missing.push(raw[index].trim());
    }
    if (missing.length) throw notFound(`pullRequests: not known to Cambrian: ${missing.join(', ')}`);
    return [...new Set(ids)];
  }

  private async repositoryId(manager: EntityManager, fullName: string): Promise<number | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id::text AS id FROM repository WHERE lower(full_name) = lower($1) ORDER BY updated_at DESC LIMIT 1`,
      [fullName],
    );
    return rows.length ? Number(rows[0].id) : null;
  }
}
