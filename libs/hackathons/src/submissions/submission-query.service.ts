import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SubmissionEntity } from './submission.entity.js';

/** A pull request linked to a submission, as shown. */
export interface LinkedPullRequestView {
  id: number;
  repositoryFullName: string;
  number: number;
  title: string;
  state: string;
  merged: boolean;
  url: string;
}

/** Reads of submissions for the API (batched for DataLoaders). */
@Injectable()
export class SubmissionQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The submission of each team, in order (null when the team has not submitted). */
  async byTeamIds(teamIds: readonly string[]): Promise<Array<SubmissionEntity | null>> {
    const rows = await this.dataSource
      .getRepository(SubmissionEntity)
      .createQueryBuilder('s')
      .where('s.team_id = ANY(:teamIds)', { teamIds })
      .getMany();
    const byTeam = new Map(rows.map((row) => [row.teamId, row]));
    return teamIds.map((id) => byTeam.get(id) ?? null);
  }

  /** The submissions of each hackathon, oldest first. */
  async byHackathonIds(hackathonIds: readonly string[]): Promise<SubmissionEntity[][]> {
    const rows = await this.dataSource
      .getRepository(SubmissionEntity)
      .createQueryBuilder('s')
      .where('s.hackathon_id = ANY(:hackathonIds)', { hackathonIds })
      .orderBy('s.submitted_at')
      .addOrderBy('s.id')
      .getMany();
    return hackathonIds.map((id) => rows.filter((row) => row.hackathonId === id));
  }

  /** Submissions by id, in order (null when unknown). */
  async byIds(ids: readonly string[]): Promise<Array<SubmissionEntity | null>> {
    const rows = await this.dataSource.getRepository(SubmissionEntity).createQueryBuilder('s').where('s.id = ANY(:ids)', { ids }).getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The pull requests each submission links, by repository and number. */
  async pullRequestsBySubmissionIds(submissionIds: readonly string[]): Promise<LinkedPullRequestView[][]> {
    const rows: Array<{ submission_id: string; id: string; full_name: string; number: number; title: string; state: string; merged: boolean }> =
      await this.dataSource.query(
        `SELECT l.submission_id, p.id::text AS id, r.full_name, p.number, p.title, p.state, p.merged
           FROM submission_pull_request l JOIN pull_request p ON p.id = l.pull_request_id JOIN repository r ON r.id = p.repository_id
          WHERE l.submission_id = ANY($1::uuid[])
          ORDER BY lower(r.full_name), p.number`,
        [submissionIds],
      );
    return submissionIds.map((id) =>
      rows
        .filter((row) => row.submission_id === id)
        .map((row) => ({
          id: Number(row.id),
          repositoryFullName: row.full_name,
          number: row.number,
          title: row.title,
          state: row.state,
          merged: row.merged,
          url: `https://github.com/${row.full_name}/pull/${row.number}`,
        })),
    );
  }
}
