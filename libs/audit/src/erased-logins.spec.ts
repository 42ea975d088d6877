import { AUDIT_ERASED, memberRefs, scrubErasedLogins, scrubText } from './erased-logins.js';

describe('memberRefs', () => {
  it.each([
    ['a member login', { member: 'Oak', organization: 'x' }, ['oak']],
    ['an @login and a judge', { judge: '@Oak', member: 'fern' }, ['oak', 'fern']],
    ['merge arguments', { into: 'Oak', from: '0b9c5f56-1111-4111-8111-111111111111', reason: 'Oak is Oakley' }, ['oak', '0b9c5f56-1111-4111-8111-111111111111']],
    ['nested and arrays', { input: { actingMember: 'Oak', members: ['Fern', 'Elm'] } }, ['oak', 'fern', 'elm']],
    ['no member keys', { ecosystem: 'oak', name: 'Oak' }, []],
    ['blank and non-string', { member: ' ', memberId: 7 }, []],
  ])('%s', (_name, args, expected) => {
    expect(memberRefs(args).sort()).toEqual([...expected].sort());
  });
});

describe('scrubText', () => {
  const erased = new Set(['oak-river']);
  it.each([
    ['Oak-River', AUDIT_ERASED],
    ['@oak-river', AUDIT_ERASED],
    ['No member holds the login "Oak-River"', `No member holds the login "${AUDIT_ERASED}"`],
    ['oak-river-bot is another account', 'oak-river-bot is another account'],
    ['xoak-river', 'xoak-river'],
    ['oak river', 'oak river'],
  ])('%s → %s', (text, expected) => {
    expect(scrubText(text, erased)).toBe(expected);
  });

  it('changes nothing without erased logins', () => {
    expect(scrubText('Oak-River', new Set())).toBe('Oak-River');
  });
});

describe('scrubErasedLogins', () => {
  it('replaces the login in every string of a document, keeping keys and other values', () => {
    expect(scrubErasedLogins({ member: 'Oak', list: ['oak', 'fern', 3], nested: { 'Oak': 'hi @OAK' }, n: null }, new Set(['oak']))).toEqual({
      member: AUDIT_ERASED,
      list: [AUDIT_ERASED, 'fern', 3],
      nested: { Oak: `hi ${AUDIT_ERASED}` },
      n: null,
    });
  });
});
