import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `member_root(id)`: the member at the end of a `merged_into_id` chain (the id itself for a
 * member never merged; null for an unknown id). Member merges leave hackathon rows
 * (registrations, team memberships) under the merged member's id, so that an unmerge gives them
 * back untouched; hackathon reads resolve member ids through this function, so that a merged
 * member's registration and team are the survivor's. Chains are short (a member merged into
 * another that was merged later); the depth limit only guards against a cycle.
 */
export class HackathonMemberRoot1764700000001 implements MigrationInterface {
  name = 'HackathonMemberRoot1764700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION member_root(uuid) RETURNS uuid
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          WITH RECURSIVE chain (id, next, depth) AS (
            SELECT m.id, m.merged_into_id, 0 FROM member m WHERE m.id = $1
            UNION ALL
            SELECT m.id, m.merged_into_id, c.depth + 1 FROM member m JOIN chain c ON m.id = c.next WHERE c.depth < 32
          )
          SELECT id FROM chain ORDER BY depth DESC LIMIT 1
        $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION member_root(uuid)`);
  }
}
