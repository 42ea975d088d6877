import type { RestPullRequest } from '#libs/github';
import { IdentityService, StageService } from '#libs/members';
import type { PullRequestWriter } from '../../libs/github/src/sync/pull-request-writer.service.js';
import { listedMergedPull, pullRequestWriter, stageState, startStageOutboxSide, workersCatchUp, type StageOutboxSide } from './stage-outbox-helpers.js';

const REPOSITORY_ID = 5_454_5461;
const AUTHOR = { id: 95_001, login: 'ivy-author', type: 'User' };
const MERGER = { id: 95_002, login: 'jo-merger', type: 'User' };

describe('recomputing the stages of every ecosystem (recompute-stages) after merges went unevaluated', () => {
  let side: StageOutboxSide;
  let writer: PullRequestWriter;

  beforeAll(async () => {
    side = await startStageOutboxSide({ ecosystemSlug: 'recompute-merger', repositoryId: REPOSITORY_ID });
    writer = pullRequestWriter(side);
  });

  afterAll(async () => {
    await side?.close();
  });

  it('evaluates the members who merged pull requests, as an evaluation of everyone does', async () => {
    const { db, app } = side;
    const pulls = [1, 8, 15, 22].map((day, index) => listedMergedPull(REPOSITORY_ID, AUTHOR, index + 1, day));
    await writer.writePullRequests(REPOSITORY_ID, pulls as unknown as RestPullRequest[]);
    await app.get(IdentityService).resolveMany([{ kind: 'github', account: MERGER }]);
    await workersCatchUp(side);
    // mergers stored without their evaluation (as the details sync did before it requested one)
    await db.query(`UPDATE pull_request SET merged_by_account_id = $1 WHERE repository_id = $2`, [MERGER.id, REPOSITORY_ID]);

    // the operator's remedy: recompute every ecosystem
    await app.get(StageService).recomputeEcosystem(null);
    const recomputed = await stageState(side);

    const everyone = (await db.query(`SELECT id FROM member`)).rows.map((row) => row.id as string);
    await app.get(StageService).evaluateMembers(everyone);
    const fromScratch = await stageState(side);
    expect(fromScratch.stages.map((row) => row.login)).toContain(MERGER.login);
    // main: the recomputation takes members with activities or stage rows there; a merger has neither
    expect(recomputed).toEqual(fromScratch);
  });
});
