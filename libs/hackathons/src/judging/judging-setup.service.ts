import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import { refuseNul } from '../common/text-input.js';
import { findHackathon } from './judging-conflicts.js';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';
import { CRITERION_COLUMNS, parseId, returned, toCriterion, toJudge } from './judging-rows.js';
import { assertCanChangeJudging, assertCriterionScale } from './judging-rules.js';
import type { CriterionInput, CriterionPatch, CriterionView, JudgeView } from './judging.types.js';

const invalid = (message: string) => new JudgingException(message, JudgingExceptionCode.INVALID);

function parseName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) throw invalid('a criterion needs a name');
  if (trimmed.length > 100) throw invalid('a criterion name has at most 100 characters');
  refuseNul({ name: trimmed }, invalid);
  return trimmed;
}

function parseDescription(description: string): string {
  if (description.length > 2000) throw invalid('a criterion description has at most 2000 characters');
  refuseNul({ description }, invalid);
  return description;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Judging set-up: a hackathon's criteria and judges. Changes are refused once the hackathon is
 * `finished` (JUDGING_STATUS_CONFLICT).
 */
@Injectable()
export class JudgingSetupService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The hackathon's criteria, oldest first. @throws HACKATHON_NOT_FOUND */
  async criteria(slug: string): Promise<CriterionView[]> {
    const hackathon = await findHackathon(this.dataSource, slug);
    const rows = await this.dataSource.query(
      `SELECT ${CRITERION_COLUMNS} FROM judging_criterion c WHERE c.hackathon_id = $1 ORDER BY c.created_at, c.id`,
      [hackathon.id],
    );
    return rows.map(toCriterion);
  }

  /**
   * Adds a criterion (scale defaults to 1–10).
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGING_INVALID (name, weight ≤ 0, scale),
   *   CRITERION_ALREADY_EXISTS (same name, case-insensitive), JUDGING_STATUS_CONFLICT (finished).
   */
  async createCriterion(slug: string, input: CriterionInput): Promise<CriterionView> {
    const name = parseName(input.name);
    const description = parseDescription(input.description ?? '');
    const scale = { weight: input.weight, scaleMin: input.scaleMin ?? 1, scaleMax: input.scaleMax ?? 10 };
    assertCriterionScale(scale);
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      try {
        const rows = await em.query(
          `INSERT INTO judging_criterion AS c (hackathon_id, name, description, weight, scale_min, scale_max)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CRITERION_COLUMNS}`,
          [hackathon.id, name, description, scale.weight, scale.scaleMin, scale.scaleMax],
        );
        return toCriterion(rows[0]);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new JudgingException(`"${slug}" already has a criterion named "${name}"`, JudgingExceptionCode.CRITERION_ALREADY_EXISTS);
        }
        throw error;
      }
    });
  }

  /**
   * Changes a criterion; absent fields keep their value. A new scale must still hold every
   * score already given on this criterion.
   * @throws JudgingException CRITERION_NOT_FOUND, JUDGING_INVALID, CRITERION_ALREADY_EXISTS,
   *   CRITERION_IN_USE_CONFLICT (scores outside the new scale), JUDGING_STATUS_CONFLICT.
   */
  async updateCriterion(id: string, patch: CriterionPatch): Promise<CriterionView> {
    parseId(id, 'a criterion');
    return this.dataSource.transaction(async (em) => {
      const current = await this.lockCriterion(em, id);
      const name = patch.name != null ? parseName(patch.name) : current.name;
      const description = patch.description != null ? parseDescription(patch.description) : current.description;
      const scale = {
        weight: patch.weight ?? current.weight,
        scaleMin: patch.scaleMin ?? current.scaleMin,
        scaleMax: patch.scaleMax ?? current.scaleMax,
      };
      assertCriterionScale(scale);
      const [range] = await em.query(`SELECT min(value) AS low, max(value) AS high FROM judge_score WHERE criterion_id = $1`, [id]);
      if (range.low !== null && (Number(range.low) < scale.scaleMin || Number(range.high) > scale.scaleMax)) {
        throw new JudgingException(
          `scores from ${Number(range.low)} to ${Number(range.high)} were given on "${current.name}": ` +
            `its scale cannot become ${scale.scaleMin}–${scale.scaleMax}`,
          JudgingExceptionCode.CRITERION_IN_USE,
        );
      }
      try {
        const rows = returned<Record<string, unknown>>(
          await em.query(
            `UPDATE judging_criterion c SET name = $2, description = $3, weight = $4, scale_min = $5, scale_max = $6, updated_at = now()
              WHERE c.id = $1 RETURNING ${CRITERION_COLUMNS}`,
            [id, name, description, scale.weight, scale.scaleMin, scale.scaleMax],
          ),
        );
        return toCriterion(rows[0]);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new JudgingException(`another criterion is named "${name}"`, JudgingExceptionCode.CRITERION_ALREADY_EXISTS);
        }
        throw error;
      }
    });
  }

  /**
   * Deletes a criterion nobody scored yet (returns it).
   * @throws JudgingException CRITERION_NOT_FOUND, CRITERION_IN_USE_CONFLICT (it has scores),
   *   JUDGING_STATUS_CONFLICT.
   */
  async deleteCriterion(id: string): Promise<CriterionView> {
    parseId(id, 'a criterion');
    return this.dataSource.transaction(async (em) => {
      const current = await this.lockCriterion(em, id);
      const [{ scores }] = await em.query(`SELECT count(*)::int AS scores FROM judge_score WHERE criterion_id = $1`, [id]);
      if (scores > 0) {
        throw new JudgingException(
          `"${current.name}" has ${scores} score(s): deleting it would change the results; change its weight instead`,
          JudgingExceptionCode.CRITERION_IN_USE,
        );
      }
      await em.query(`DELETE FROM judging_criterion WHERE id = $1`, [id]);
      return current;
    });
  }

  /** The hackathon's judges, first added first. @throws HACKATHON_NOT_FOUND */
  async judges(slug: string): Promise<JudgeView[]> {
    const hackathon = await findHackathon(this.dataSource, slug);
    const rows = await this.dataSource.query(`SELECT * FROM judge WHERE hackathon_id = $1 ORDER BY added_at, id`, [hackathon.id]);
    return rows.map(toJudge);
  }

  /**
   * Makes a member a judge of the hackathon. Conflicts of interest are checked per submission,
   * at assignment and at scoring, not here (a judge may be on a team and judge other teams).
   * Members are compared through merges (`member_root`): a member merged with a judge already judges.
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGE_ALREADY_EXISTS, JUDGING_STATUS_CONFLICT.
   */
  async addJudge(slug: string, memberId: string): Promise<JudgeView> {
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      // judge rows keep a merged member's id: the survivor is already a judge through it
      const rows = await em.query(
        `INSERT INTO judge (hackathon_id, member_id)
         SELECT $1, $2 WHERE NOT EXISTS (
           SELECT 1 FROM judge WHERE hackathon_id = $1 AND ${memberRootSql('member_id')} = ${memberRootSql('$2::uuid')})
         ON CONFLICT (hackathon_id, member_id) DO NOTHING RETURNING *`,
        [hackathon.id, memberId],
      );
      if (!rows[0]) throw new JudgingException(`That member already judges "${slug}"`, JudgingExceptionCode.JUDGE_ALREADY_EXISTS);
      return toJudge(rows[0]);
    });
  }

  /**
   * Removes a judge, with their assignments and scores (the results no longer count them);
   * members are compared through merges (`member_root`).
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGE_NOT_FOUND, JUDGING_STATUS_CONFLICT.
   */
  async removeJudge(slug: string, memberId: string): Promise<JudgeView> {
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      const rows = returned<Record<string, unknown>>(
        await em.query(
          `DELETE FROM judge WHERE hackathon_id = $1 AND ${memberRootSql('member_id')} = ${memberRootSql('$2::uuid')} RETURNING *`,
          [hackathon.id, memberId],
        ),
      );
      if (!rows[0]) throw new JudgingException(`That member is not a judge of "${slug}"`, JudgingExceptionCode.JUDGE_NOT_FOUND);
      return toJudge(rows[0]);
    });
  }

  private async lockCriterion(em: Pick<DataSource, 'query'>, id: string): Promise<CriterionView> {
    const rows = await em.query(
      `SELECT ${CRITERION_COLUMNS}, h.status FROM judging_criterion c JOIN hackathon h ON h.id = c.hackathon_id
        WHERE c.id = $1 FOR UPDATE OF c FOR SHARE OF h`,
      [id],
    );
    if (!rows[0]) throw new JudgingException(`No criterion ${id}`, JudgingExceptionCode.CRITERION_NOT_FOUND);
    assertCanChangeJudging(rows[0].status);
    return toCriterion(rows[0]);
  }
}
