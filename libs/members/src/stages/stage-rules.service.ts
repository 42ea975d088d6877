import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryException, QueryExceptionCode } from '../queries/query.exception.js';
import { applyStageRulesPatch, DEFAULT_STAGE_RULES, parseStageRules, type StageRulesPatch, type VersionedStageRules } from './stage-rules.js';

/** The rules in force for one scope, and where they come from. */
export interface EffectiveStageRules extends VersionedStageRules {
  /** `ecosystem`: the ecosystem's own row; `global`: the global row; `default`: built-in (version 0). */
  source: 'ecosystem' | 'global' | 'default';
}

/**
 * Reads and changes the stage rules (`stage_rules`): an ecosystem's own row wins over the global
 * row (`ecosystem_id` NULL), which wins over {@link DEFAULT_STAGE_RULES}.
 */
@Injectable()
export class StageRulesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rules in force for each ecosystem id (one query). */
  async forEcosystems(ecosystemIds: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, EffectiveStageRules>> {
    const rows: Array<{ ecosystem_id: number | null; rules: unknown; version: string }> = await manager.query(
      `SELECT ecosystem_id, rules, version FROM stage_rules WHERE ecosystem_id IS NULL OR ecosystem_id = ANY($1::int[])`,
      [ecosystemIds],
    );
    const global = rows.find((row) => row.ecosystem_id === null);
    const fallback: EffectiveStageRules = global
      ? { rules: parseStageRules(global.rules), version: Number(global.version), source: 'global' }
      : { rules: DEFAULT_STAGE_RULES, version: 0, source: 'default' };
    const result = new Map<number, EffectiveStageRules>();
    for (const id of ecosystemIds) {
      const own = rows.find((row) => row.ecosystem_id === id);
      result.set(id, own ? { rules: parseStageRules(own.rules), version: Number(own.version), source: 'ecosystem' } : fallback);
    }
    return result;
  }

  /**
   * The rules in force for an ecosystem (by slug) or, with `null`, the global rules.
   * @throws QueryException NOT_FOUND for an unknown ecosystem.
   */
  async effective(ecosystemSlug: string | null): Promise<EffectiveStageRules & { ecosystemId: number | null }> {
    if (ecosystemSlug === null) {
      const [row]: Array<{ rules: unknown; version: string }> = await this.dataSource.query(
        `SELECT rules, version FROM stage_rules WHERE ecosystem_id IS NULL`,
      );
      return row
        ? { ecosystemId: null, rules: parseStageRules(row.rules), version: Number(row.version), source: 'global' }
        : { ecosystemId: null, rules: DEFAULT_STAGE_RULES, version: 0, source: 'default' };
    }
    const ecosystemId = await this.ecosystemId(ecosystemSlug);
    return { ecosystemId, ...(await this.forEcosystems([ecosystemId])).get(ecosystemId)! };
  }

  /**
   * Changes the rules of an ecosystem (or, with `null`, the global rules): `patch` is merged over
   * the rules in force for that scope, validated, and stored under a new version. Members'
   * stages follow once they are recomputed (the caller requests that).
   * @throws StageRulesException (BAD_USER_INPUT) naming invalid fields; QueryException NOT_FOUND for an unknown ecosystem.
   */
  async update(ecosystemSlug: string | null, patch: StageRulesPatch, updatedBy: string | null): Promise<EffectiveStageRules & { ecosystemId: number | null }> {
    const current = await this.effective(ecosystemSlug);
    const rules = applyStageRulesPatch(current.rules, patch);
    const [row]: Array<{ version: string }> = await this.dataSource.query(
      `INSERT INTO stage_rules (ecosystem_id, rules, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT stage_rules_one_per_scope
       DO UPDATE SET rules = EXCLUDED.rules, version = nextval('stage_rules_version'), updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING version`,
      [current.ecosystemId, JSON.stringify(rules), updatedBy],
    );
    return { ecosystemId: current.ecosystemId, rules, version: Number(row.version), source: current.ecosystemId === null ? 'global' : 'ecosystem' };
  }

  /** @throws QueryException NOT_FOUND for an unknown slug. */
  async ecosystemId(slug: string): Promise<number> {
    const [row]: Array<{ id: number }> = await this.dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [slug]);
    if (!row) throw new QueryException(`Unknown ecosystem "${slug}"`, QueryExceptionCode.NOT_FOUND);
    return row.id;
  }
}
