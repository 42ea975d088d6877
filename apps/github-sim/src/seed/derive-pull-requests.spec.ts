import { decideMerge, type MergeCandidate } from './derive-pull-requests.js';

const HEAD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function candidate(number: number, secondParent: string, login = 'OctoBored'): MergeCandidate {
  return {
    commit: {
      sha: `${number}`.padEnd(40, 'c'),
      parents: ['d'.repeat(40), secondParent],
      author: { name: 'PENG Bo', email: '33809201+BlinkDL@users.noreply.github.com', date: '2026-08-14T13:09:24Z' },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-08-14T13:09:24Z' },
      authorAccount: null,
    },
    message: { number, login, branch: 'fix/star-history-chart' },
  };
}

describe('decideMerge', () => {
  it.each([
    ['a merge commit whose second parent is the head', { head_in_default_branch: false }, [candidate(350, HEAD)], 'merge-commit'],
    ['a merge commit that also has the head on the default branch', { head_in_default_branch: true }, [candidate(350, HEAD)], 'merge-commit'],
    ['only a merge line inherited from another repository (other second parent)', { head_in_default_branch: false }, [candidate(350, OTHER)], 'closed'],
    ['a merge line for another number', { head_in_default_branch: false }, [candidate(351, HEAD)], 'closed'],
    ['no merge line but the head on the default branch (fast-forward/rebase)', { head_in_default_branch: true }, [], 'head-in-default-branch'],
    ['no trace at all (squash merge or closed)', { head_in_default_branch: false }, [], 'closed'],
  ])('decides %s', (_name, ref, candidates, kind) => {
    expect(decideMerge({ number: 350, head_sha: HEAD, ...ref }, candidates).kind).toBe(kind);
  });

  it('picks the matching merge commit when two merge lines claim the same number', () => {
    const inherited = candidate(66, OTHER, 'saharNooby');
    const own = candidate(66, HEAD, 'RWKV');
    const decision = decideMerge({ number: 66, head_sha: HEAD, head_in_default_branch: true }, [inherited, own]);
    expect(decision).toEqual({ kind: 'merge-commit', candidate: own });
  });
});
