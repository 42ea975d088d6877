import { ViewerAccess, type AccessGrantService, type AccessLookupService, type HackathonRef } from '#libs/access';
import { ANONYMOUS_VIEWER, type Viewer } from '#libs/auth';
import { accessRefusal } from './access-enforcement.js';
import { accessAllowed, AccessRules, type AccessRule } from './access-rule.js';

const ANA = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const SPRING = { hackathonId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', ecosystemId: 1 };
const AUTUMN = { hackathonId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', ecosystemId: 2 };

/** The facts of a small world: ana organises spring, bob judges spring and is in team t1; logins resolve to ids. */
function accessOf(viewer: Viewer): ViewerAccess {
  const grants = { organizerScopesOf: async (id: string) => (id === ANA ? [{ hackathonId: SPRING.hackathonId }] : []) };
  const lookup = {
    hackathonOf: async (ref: HackathonRef) => ('hackathon' in ref ? ({ spring: SPRING, autumn: AUTUMN } as Record<string, typeof SPRING>)[ref.hackathon] ?? null : null),
    judgedHackathonIds: async (id: string) => (id === BOB ? [SPRING.hackathonId] : []),
    memberRoots: async (ids: readonly string[]) => ids.map((id) => ([ANA, BOB].includes(id) ? id : null)),
    isInTeam: async (id: string, team: string) => id === BOB && team === 't1',
    ecosystemIdOf: async () => null,
  };
  const logins: Record<string, string> = { ana: ANA, bob: BOB };
  return new ViewerAccess(viewer, grants as unknown as AccessGrantService, lookup as unknown as AccessLookupService, async (ref) => logins[ref] ?? ref);
}

const session = (memberId: string, login: string): Viewer => ({ tokenId: null, role: 'member', sessionId: 's', memberId, githubLogin: login });
const VIEWERS: Record<string, Viewer> = {
  public: ANONYMOUS_VIEWER,
  admin: { tokenId: 't', role: 'admin' },
  ana: session(ANA, 'ana'),
  bob: session(BOB, 'bob'),
};

const { organizer, judgeOf, self, teamMember, anyOf, allOf, admin, signedIn, hidden } = AccessRules;
const spring = () => ({ hackathon: 'spring' });

describe('access rules', () => {
  it.each<[string, AccessRule, Record<string, unknown>, string[]]>([
    ['admin', admin(), {}, ['admin']],
    ['signedIn', signedIn(), {}, ['admin', 'ana', 'bob']],
    ['organizer of spring', organizer(spring), {}, ['admin', 'ana']],
    ['organizer of autumn', organizer(() => ({ hackathon: 'autumn' })), {}, ['admin']],
    ['judge of spring', judgeOf(spring), {}, ['admin', 'bob']],
    ['self by login', self((args) => args.member), { member: 'bob' }, ['admin', 'bob']],
    ['self by id', self((args) => args.member), { member: ANA }, ['admin', 'ana']],
    ['self of nobody', self((args) => args.member), {}, ['admin']],
    ['team member', teamMember((args) => args.team), { team: 't1' }, ['admin', 'bob']],
    ['organizer or self', anyOf(organizer(spring), self((args) => args.member)), { member: 'bob' }, ['admin', 'ana', 'bob']],
    ['judge and self', allOf(judgeOf(spring), self((args) => args.judge)), { judge: 'ana' }, ['admin']],
    ['public', AccessRules.public(), {}, ['public', 'admin', 'ana', 'bob']],
  ])('%s', async (_name, rule, args, allowed) => {
    const result: string[] = [];
    for (const [name, viewer] of Object.entries(VIEWERS)) {
      if (await accessAllowed(rule, { access: accessOf(viewer), args, parent: {} })) result.push(name);
    }
    expect(result).toEqual(allowed);
  });

  it('labels combinations in words and keeps `hidden` a variant of the same rule', () => {
    expect(anyOf(organizer(spring), self(() => null)).label).toBe('an organiser of the hackathon or the member themself');
    expect(hidden(admin())).toMatchObject({ label: 'an admin', otherwise: 'hide' });
  });

  it('refuses the public with UNAUTHENTICATED (how to sign in) and others with FORBIDDEN (who they are)', () => {
    const rule = organizer(spring);
    expect(accessRefusal('updateHackathon', rule, { viewer: VIEWERS.public })).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^updateHackathon needs an organiser of the hackathon: sign in through GitHub at \/auth\/github/),
    });
    expect(accessRefusal('updateHackathon', rule, { viewer: VIEWERS.bob })).toMatchObject({
      code: 'FORBIDDEN',
      message: 'updateHackathon needs an organiser of the hackathon (or an admin); the signed-in member @bob is not',
    });
  });
});
