import { changedFacts, decideEligibility, disqualifyingLabel, isOwnTeamReview, type ContributionFacts, type EligibilityReason } from './eligibility.js';

// case H1: an event from 1 to 31 October (UTC), topic `hacktoberfest`, opt-in label `hacktoberfest-accepted`
const rules = {
  startsAt: new Date('2026-10-01T00:00:00Z'),
  endsAt: new Date('2026-11-01T00:00:00Z'),
  optInLabel: 'hacktoberfest-accepted',
  trackedTopic: 'hacktoberfest',
};

const pr = (overrides: Partial<ContributionFacts>): ContributionFacts => ({
  kind: 'pull_request',
  occurredAt: '2026-10-10T12:00:00.000Z',
  registration: 'registered',
  repositoryListed: false,
  repositoryTopics: [],
  labels: [],
  ofOwnTeam: null,
  ...overrides,
});
const review = (overrides: Partial<ContributionFacts>): ContributionFacts => pr({ kind: 'review', repositoryListed: true, ofOwnTeam: false, ...overrides });

describe('decideEligibility', () => {
  it.each<[string, ContributionFacts, boolean, EligibilityReason]>([
    ['H1 #5: repository with the event topic', pr({ repositoryTopics: ['rwkv', 'hacktoberfest'] }), true, 'tracked_topic'],
    ['topic compared case-insensitively', pr({ repositoryTopics: ['HacktoberFest'] }), true, 'tracked_topic'],
    ['H1 #6: labelled Hacktoberfest-Spam', pr({ repositoryTopics: ['hacktoberfest'], labels: ['Hacktoberfest-Spam'] }), false, 'disqualifying_label'],
    ['INVALID in any case disqualifies', pr({ repositoryListed: true, labels: ['bug', 'INVALID'] }), false, 'disqualifying_label'],
    ['a label containing "spam" anywhere', pr({ repositoryListed: true, labels: ['not-spammy-at-all'] }), false, 'disqualifying_label'],
    ['spam wins over the opt-in label', pr({ labels: ['hacktoberfest-accepted', 'spam'] }), false, 'disqualifying_label'],
    ['H1 #7: opt-in label in an untracked repository', pr({ labels: ['hacktoberfest-accepted'] }), true, 'opt_in_label'],
    ['opt-in label compared case-insensitively', pr({ labels: ['Hacktoberfest-Accepted'] }), true, 'opt_in_label'],
    ['listed repository', pr({ repositoryListed: true }), true, 'tracked_repository'],
    ['untracked repository without the label', pr({ repositoryTopics: ['rwkv'], labels: ['bug'] }), false, 'untracked_repository'],
    ['author not registered', pr({ registration: 'none', repositoryListed: true }), false, 'not_registered'],
    ['author withdrew', pr({ registration: 'withdrawn', repositoryListed: true }), false, 'withdrawn'],
    ['opened at the start instant (inclusive)', pr({ repositoryListed: true, occurredAt: '2026-10-01T00:00:00.000Z' }), true, 'tracked_repository'],
    ['opened at the end instant (exclusive)', pr({ repositoryListed: true, occurredAt: '2026-11-01T00:00:00.000Z' }), false, 'outside_window'],
    ['opened a millisecond before the start', pr({ repositoryListed: true, occurredAt: '2026-09-30T23:59:59.999Z' }), false, 'outside_window'],
    ['review in a tracked repository', review({}), true, 'tracked_repository'],
    ['review in a repository with the topic', review({ repositoryListed: false, repositoryTopics: ['hacktoberfest'] }), true, 'tracked_topic'],
    ['review of the own team', review({ ofOwnTeam: true }), false, 'own_team_review'],
    ['review, author team unknown: counts', review({ ofOwnTeam: null }), true, 'tracked_repository'],
    ['review: the opt-in label does not track the repository', review({ repositoryListed: false, labels: ['hacktoberfest-accepted'] }), false, 'untracked_repository'],
    ['review of a pull request labelled spam', review({ labels: ['spam'] }), false, 'disqualifying_label'],
    ['review by someone not registered', review({ registration: 'none' }), false, 'not_registered'],
  ])('%s', (_label, facts, eligible, reason) => {
    expect(decideEligibility(facts, rules)).toMatchObject({ eligible, reason });
  });

  it('without opt-in label or topic, only listed repositories count', () => {
    const bare = { ...rules, optInLabel: null, trackedTopic: null };
    expect(decideEligibility(pr({ repositoryTopics: ['hacktoberfest'], labels: ['hacktoberfest-accepted'] }), bare).eligible).toBe(false);
    expect(decideEligibility(pr({ repositoryListed: true }), bare).eligible).toBe(true);
  });

  it('the detail names the deciding label', () => {
    expect(decideEligibility(pr({ labels: ['Hacktoberfest-Spam'] }), rules).detail).toBe('labelled "Hacktoberfest-Spam"');
  });
});

describe('disqualifyingLabel', () => {
  it.each<[string[], string | null]>([
    [[], null],
    [['bug', 'enhancement'], null],
    [['Hacktoberfest-Spam'], 'Hacktoberfest-Spam'],
    [['bug', 'Invalid'], 'Invalid'],
    [['SPAM'], 'SPAM'],
  ])('%j → %s', (labels, expected) => {
    expect(disqualifyingLabel(labels)).toBe(expected);
  });
});

describe('changedFacts', () => {
  it.each<[string, Partial<ContributionFacts>, string[]]>([
    ['nothing', {}, []],
    ['labels reordered: no change', { labels: ['b', 'a'] }, []],
    ['a label added', { labels: ['a', 'b', 'spam'] }, ['labels']],
    ['topic removed and registration withdrawn', { repositoryTopics: [], registration: 'withdrawn' }, ['registration', 'repositoryTopics']],
  ])('%s', (_label, after, expected) => {
    const before = pr({ labels: ['a', 'b'], repositoryTopics: ['hacktoberfest'] });
    expect(changedFacts(before, { ...before, ...after }).sort()).toEqual(expected);
  });
});

describe('isOwnTeamReview', () => {
  it.each<[string, { memberId: string; teamId: string | null }, { memberId: string | null; teamId: string | null }, boolean | null]>([
    ['author unknown', { memberId: 'r', teamId: 't1' }, { memberId: null, teamId: null }, null],
    ['the reviewer\'s own pull request, no team', { memberId: 'r', teamId: null }, { memberId: 'r', teamId: null }, true],
    ['a teammate\'s pull request', { memberId: 'r', teamId: 't1' }, { memberId: 'a', teamId: 't1' }, true],
    ['another team\'s pull request', { memberId: 'r', teamId: 't1' }, { memberId: 'a', teamId: 't2' }, false],
    ['reviewer in no team, author in none either', { memberId: 'r', teamId: null }, { memberId: 'a', teamId: null }, false],
    ['author not a participant', { memberId: 'r', teamId: 't1' }, { memberId: 'a', teamId: null }, false],
  ])('%s', (_label, reviewer, author, expected) => {
    expect(isOwnTeamReview(reviewer, author)).toBe(expected);
  });
});
