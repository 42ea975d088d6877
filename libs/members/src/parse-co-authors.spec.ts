import { parseCoAuthors } from './parse-co-authors.js';

// I5 (shared/cases/identity.md)
const I5_MESSAGE = [
  'Fix parser edge case',
  '',
  '    Co-authored-by: Eve Example <eve@example.com>',
  '',
  'Signed-off-by: Oak River <oak@river.example>',
  'Co-authored-by: Pat Partner <4243+pat-p@users.noreply.github.com>',
  'co-authored-by: Sam Second <sam@example.org>',
  'Co-authored-by: Oak River <oak@river.example>',
].join('\n');

describe('parseCoAuthors', () => {
  it('I5: credits only the final trailer block, in any key case', () => {
    expect(parseCoAuthors(I5_MESSAGE)).toEqual([
      { name: 'Pat Partner', email: '4243+pat-p@users.noreply.github.com' },
      { name: 'Sam Second', email: 'sam@example.org' },
      { name: 'Oak River', email: 'oak@river.example' },
    ]);
  });

  it.each([
    ['a subject line only', 'Co-authored-by: A <a@x.org>', []],
    ['a body that is not a trailer block', 'Fix\n\nthanks to\nCo-authored-by: A <a@x.org>', []],
    ['a malformed empty address (seen in shared/data/rwkv)', 'Fix\n\nCo-authored-by: Name <>', [{ name: 'Name', email: '' }]],
    ['a value with no address', 'Fix\n\nCo-authored-by: Just A Name', []],
    ['CRLF line ends', 'Fix\r\n\r\nCo-authored-by: A <a@x.org>\r\n', [{ name: 'A', email: 'a@x.org' }]],
    ['duplicates', 'Fix\n\nCo-authored-by: A <a@x.org>\nCo-authored-by: A2 <A@X.org>', [{ name: 'A', email: 'a@x.org' }]],
  ])('handles %s', (_label, message, expected) => {
    expect(parseCoAuthors(message)).toEqual(expected);
  });
});
