import { parseNoreplyEmail } from './parse-noreply-email.js';

describe('parseNoreplyEmail', () => {
  it.each([
    // I3 (shared/cases/identity.md): both noreply forms
    ['4242+river-oak@users.noreply.github.com', { id: 4242, login: 'river-oak' }],
    ['oak-river@users.noreply.github.com', { id: null, login: 'oak-river' }],
    ['OAK-RIVER@USERS.NOREPLY.GITHUB.COM', { id: null, login: 'OAK-RIVER' }],
    // from shared/data/rwkv (BlinkDL/RWKV-LM commits)
    ['33809201+BlinkDL@users.noreply.github.com', { id: 33809201, login: 'BlinkDL' }],
    ['41898282+github-actions[bot]@users.noreply.github.com', { id: 41898282, login: 'github-actions[bot]' }],
    ['noreply@github.com', null],
    ['oak@river.example', null],
    ['', null],
    [null, null],
    ['0+zero@users.noreply.github.com', null],
    ['a b@users.noreply.github.com', null],
    ['@users.noreply.github.com', null],
  ])('parses %j', (email, expected) => {
    expect(parseNoreplyEmail(email)).toEqual(expected);
  });
});
