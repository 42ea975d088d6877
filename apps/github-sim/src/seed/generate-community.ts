import type { Account } from './accounts.js';
import { GENERATED_MARKER } from './generate-issues.js';
import { fromEpochMs } from './github-time.js';
import { stableHash, stableId } from './ids.js';
import type {
  AuthorAssociation,
  CommitRecord,
  ForkRecord,
  LabelRecord,
  PullRequestRecord,
  ReleaseRecord,
  RepositoryRecord,
  ReviewCommentRecord,
  ReviewRecord,
  StargazerRecord,
  TagRecord,
} from './snapshot.types.js';

const HOUR_MS = 3_600_000;

/**
 * GitHub's default labels of a new repository (names, colours and descriptions as GitHub creates them; GitHub
 * Docs, "Managing labels": "About default labels"). The ids are GENERATED.
 */
export const DEFAULT_LABELS: ReadonlyArray<Omit<LabelRecord, 'id' | 'default'>> = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation' },
  { name: 'duplicate', color: 'cfd3d7', description: 'This issue or pull request already exists' },
  { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
  { name: 'good first issue', color: '7057ff', description: 'Good for newcomers' },
  { name: 'help wanted', color: '008672', description: 'Extra attention is needed' },
  { name: 'invalid', color: 'e4e669', description: "This doesn't seem right" },
  { name: 'question', color: 'd876e3', description: 'Further information is requested' },
  { name: 'wontfix', color: 'ffffff', description: 'This will not be worked on' },
];

/** What generateCommunity needs about one repository. */
export interface GenerateCommunityInput {
  repository: RepositoryRecord;
  pulls: readonly PullRequestRecord[];
  tags: readonly TagRecord[];
  commitBySha: ReadonlyMap<string, CommitRecord>;
  /** Real (non-generated, non-bot) contributors of the repository, stable order (reviewers). */
  contributors: readonly Account[];
  /** Every real person of the data set, stable order (stargazers, fork owners, fallback reviewers). */
  people: readonly Account[];
  associationFor: (account: Account) => AuthorAssociation;
}

/** The GENERATED community data of one repository. */
export interface GeneratedCommunity {
  labels: LabelRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  stargazers: StargazerRecord[];
  forks: ForkRecord[];
  releases: ReleaseRecord[];
}

/** `count` accounts of `pool` from a hash-chosen offset, wrapping (distinct while count ≤ pool size). */
function pick(pool: readonly Account[], key: string, count: number): Account[] {
  if (pool.length === 0) return [];
  const start = stableHash(key) % pool.length;
  return Array.from({ length: Math.min(count, pool.length) }, (_, k) => pool[(start + k) % pool.length]);
}

/** `count` instants spread evenly over [fromMs, toMs], ascending, GitHub's format. */
function spread(fromMs: number, toMs: number, count: number): string[] {
  const span = Math.max(0, toMs - fromMs);
  return Array.from({ length: count }, (_, k) => fromEpochMs(fromMs + Math.floor((span * (k + 1)) / (count + 1))));
}

/**
 * GENERATED reviews and review comments. Rules (deterministic, by hash of `<full name>#<number>`):
 * - a merged pull request gets 1–2 reviews, the last APPROVED, any earlier one COMMENTED; a closed unmerged one gets
 *   a CHANGES_REQUESTED review one time in three; reviewers are contributors other than the author;
 * - reviews are submitted an hour apart, the last an hour before `closed_at` (never before `created_at`);
 * - every COMMENTED or CHANGES_REQUESTED review carries one review comment on `README.md` at the same instant;
 * - the lowest-numbered pull request also gets one COMMENTED review and one review comment by a deleted account
 *   (`user: null`, case I1).
 */
function generateReviews(input: GenerateCommunityInput): { reviews: ReviewRecord[]; reviewComments: ReviewCommentRecord[] } {
  const { repository } = input;
  const reviews: ReviewRecord[] = [];
  const reviewComments: ReviewCommentRecord[] = [];
  const lowest = input.pulls.reduce((min, p) => Math.min(min, p.number), Number.POSITIVE_INFINITY);
  const pool = input.contributors.length > 0 ? input.contributors : input.people;
  for (const pull of input.pulls) {
    const key = `${repository.fullName}#${pull.number}`;
    const h = stableHash(`review:${key}`);
    const reviewers = pool.filter((a) => a.id !== pull.user.id);
    const count = reviewers.length === 0 ? 0 : pull.merged ? 1 + (h % 2) : h % 3 === 0 ? 1 : 0;
    const endMs = Date.parse(pull.closedAt ?? pull.updatedAt);
    const startMs = Date.parse(pull.createdAt);
    const entries: Array<{ user: Account | null; state: ReviewRecord['state']; deleted: boolean }> = [];
    for (let k = 0; k < count; k++) {
      const state: ReviewRecord['state'] = !pull.merged ? 'CHANGES_REQUESTED' : k === count - 1 ? 'APPROVED' : 'COMMENTED';
      entries.push({ user: reviewers[(h + k) % reviewers.length], state, deleted: false });
    }
    if (pull.number === lowest) entries.unshift({ user: null, state: 'COMMENTED', deleted: true });
    entries.forEach((entry, k) => {
      const at = fromEpochMs(Math.max(startMs, endMs - (entries.length - k) * HOUR_MS));
      const id = stableId('other', `review:${key}/${k}`);
      const who = entry.deleted ? 'a deleted account' : 'a real contributor';
      reviews.push({
        id,
        pullNumber: pull.number,
        user: entry.user,
        state: entry.state,
        body: entry.state === 'APPROVED' ? '' : `${GENERATED_MARKER} A generated review by ${who}; not real discussion.`,
        submittedAt: at,
        commitId: pull.head.sha,
        authorAssociation: entry.user ? input.associationFor(entry.user) : 'NONE',
      });
      if (entry.state !== 'APPROVED') {
        reviewComments.push({
          id: stableId('other', `review-comment:${key}/${k}`),
          pullNumber: pull.number,
          reviewId: id,
          user: entry.user,
          body: `${GENERATED_MARKER} A generated review comment by ${who}; not real discussion.`,
          path: 'README.md',
          commitId: pull.head.sha,
          createdAt: at,
          updatedAt: at,
          authorAssociation: entry.user ? input.associationFor(entry.user) : 'NONE',
        });
      }
    });
  }
  const byTime = <T extends { id: number }>(at: (item: T) => string) => (a: T, b: T) => Date.parse(at(a)) - Date.parse(at(b)) || a.id - b.id;
  reviews.sort(byTime((r) => r.submittedAt));
  reviewComments.sort(byTime((c) => c.createdAt));
  return { reviews, reviewComments };
}

/**
 * Releases from the REAL tags: one published release per tag (tag name, commit and date real). GENERATED: the id,
 * `name` (= the tag name), the marked body, and the author (the tagged commit's linked account when it is a real
 * person, else a contributor picked by hash).
 */
function generateReleases(input: GenerateCommunityInput): ReleaseRecord[] {
  const { repository } = input;
  const pool = input.contributors.length > 0 ? input.contributors : input.people;
  const releases: ReleaseRecord[] = [];
  for (const tag of input.tags) {
    const linked = input.commitBySha.get(tag.commitSha)?.authorAccount;
    const author = linked && !linked.generated && linked.type === 'User' ? linked : pool[stableHash(`release:${repository.fullName}:${tag.name}`) % pool.length];
    if (!author) continue;
    releases.push({
      id: stableId('other', `release:${repository.fullName}:${tag.name}`),
      tagName: tag.name,
      targetCommitish: repository.defaultBranch,
      name: tag.name,
      body: `${GENERATED_MARKER} Release notes generated for the real tag ${tag.name}.`,
      author,
      createdAt: tag.date,
      publishedAt: tag.date,
    });
  }
  // GitHub lists releases newest first (by created_at)
  return releases.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
}

/**
 * GENERATED community data of one repository (the export holds none of it): GitHub's default labels; reviews and
 * review comments (see generateReviews); 20–79 stargazers (real people, consecutive in login order from a hashed
 * offset; `starred_at` spread evenly between the repository's created_at and pushed_at, oldest first); 1–5 forks
 * owned by real people (`<login>/<name>`, created spread over the same span); releases from the real tags.
 */
export function generateCommunity(input: GenerateCommunityInput): GeneratedCommunity {
  const { repository } = input;
  const createdMs = Date.parse(repository.createdAt);
  const pushedMs = Date.parse(repository.pushedAt);
  const h = stableHash(`community:${repository.fullName}`);

  const starrers = pick(input.people, `stars:${repository.fullName}`, 20 + (h % 60));
  const starTimes = spread(createdMs, pushedMs, starrers.length);
  const stargazers = starrers.map((user, k) => ({ user, starredAt: starTimes[k] }));

  const forkOwners = pick(input.people, `forks:${repository.fullName}`, 1 + ((h >>> 8) % 5)).filter((a) => a.id !== repository.owner.id);
  const forkTimes = spread(createdMs, pushedMs, forkOwners.length);
  const forks = forkOwners
    .map((owner, k) => {
      const fullName = `${owner.login}/${repository.name}`;
      return { id: stableId('repository', fullName), owner, name: repository.name, fullName, createdAt: forkTimes[k] };
    })
    .reverse(); // newest first, GitHub's default `sort=newest`

  const labels = DEFAULT_LABELS.map((label) => ({ ...label, id: stableId('other', `label:${repository.fullName}:${label.name}`), default: true }));
  return { labels, ...generateReviews(input), stargazers, forks, releases: generateReleases(input) };
}
