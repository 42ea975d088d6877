import type { RestPullRequest } from '#libs/github';
import { IdentityService, StageService } from '#libs/members';
import type { PullRequestWriter } from '../../libs/github/src/sync/pull-request-writer.service.js';
import { listedMergedPull, pullRequestWriter, stageState, startStageOutboxSide, workersCatchUp, type StageOutboxSide } from './stage-outbox-helpers.js';

const REPOSITORY_ID = 5_454_5451;
const AUTHOR = { id: 94_001, login: 'gus-author', type: 'User' };
const MERGER = { id: 94_002, login: 'hal-merger', type: 'User' };

describe('stages of the member who merged a pull request, known only once the sync reads its details', () => {
  let side: StageOutboxSide;
  let writer: PullRequestWriter;

  beforeAll(async () => {
    side = await startStageOutboxSide({ ecosystemSlug: 'outbox-merger', repositoryId: REPOSITORY_ID });
    writer = pullRequestWriter(side);
  });

  afterAll(async () => {
    await side?.close();
  });

  it('ends with the stages a recomputation from scratch stores, merger included', async () => {
    const { db, app } = side;
    const pulls = [1, 8, 15, 22].map((day, index) => listedMergedPull(REPOSITORY_ID, AUTHOR, index + 1, day));
    // a page of the pull request listing: the author's activities, the rows without their merger
    await writer.writePullRequests(REPOSITORY_ID, pulls as unknown as RestPullRequest[]);
    // the merger is a known member (an earlier page, another repository's sync…)
    await app.get(IdentityService).resolveMany([{ kind: 'github', account: MERGER }]);
    await workersCatchUp(side);

    // the details sync reads each merged pull request ("Get a pull request"): merged_by is the merger
    for (const pending of await writer.pendingDetails(REPOSITORY_ID)) {
      const pull = pulls.find((candidate) => candidate.number === pending.number)!;
      await writer.writeDetails(REPOSITORY_ID, pending, { ...pull, merged_by: MERGER } as unknown as RestPullRequest, null);
    }
    await workersCatchUp(side);
    const after = await stageState(side);

    // from scratch: every member evaluated from all the activities and merges
    const everyone = (await db.query(`SELECT id FROM member`)).rows.map((row) => row.id as string);
    await app.get(StageService).evaluateMembers(everyone);
    const fromScratch = await stageState(side);
    expect(fromScratch.stages.map((row) => row.login)).toContain(MERGER.login);
    // main: nothing asks for the merger's evaluation when the details name them; their merges count nowhere
    expect(after).toEqual(fromScratch);
  });
});
