import { normaliseLinks, parseGithubRepositoryUrl, parsePullRequestRef } from './submission-input.js';

describe('parseGithubRepositoryUrl', () => {
  it.each([
    ['https://github.com/BlinkDL/RWKV-LM', 'BlinkDL/RWKV-LM'],
    ['http://github.com/BlinkDL/RWKV-LM/', 'BlinkDL/RWKV-LM'],
    ['github.com/RWKV/rwkv.cpp.git', 'RWKV/rwkv.cpp'],
    ['  https://www.github.com/RWKV/rwkv.cpp  ', 'RWKV/rwkv.cpp'],
    ['https://GitHub.com/a/b?tab=readme#top', 'a/b'],
  ])('reads %j as %s', (value, fullName) => {
    const parsed = parseGithubRepositoryUrl(value);
    expect(parsed.fullName).toBe(fullName);
    expect(parsed.url).toBe(`https://github.com/${fullName}`);
  });

  it.each([
    ['https://gitlab.com/a/b', /not on github.com/],
    ['https://github.com.evil.com/a/b', /not on github.com/],
    ['https://github.com:8443/a/b', /not on github.com/],
    ['https://github.com/a', /does not name a repository/],
    ['https://github.com/a/b/tree/main', /does not name a repository/],
    ['https://github.com/-a/b', /does not name a repository/],
    ['https://github.com/a/..', /does not name a repository/],
    ['ftp://github.com/a/b', /not an http\(s\) URL/],
    ['https://user:pw@github.com/a/b', /credentials/],
    [`https://github.com/a/${'b'.repeat(500)}`, /longer than 500/],
  ])('refuses %j', (value, message) => {
    expect(() => parseGithubRepositoryUrl(value)).toThrow(message);
  });
});

describe('normaliseLinks', () => {
  it.each<[string[] | null, string[]]>([
    [null, []],
    [[' https://rwkv.com/demo ', '', 'http://example.org'], ['https://rwkv.com/demo', 'http://example.org/']],
    [['https://a.example/x', 'https://A.example/x'], ['https://a.example/x']],
  ])('%j → %j', (input, expected) => {
    expect(normaliseLinks(input)).toEqual(expected);
  });

  it.each([
    [['javascript:alert(1)'], /not an http or https URL/],
    [['data:text/html,hi'], /not an http or https URL/],
    [['/relative/path'], /not an absolute URL/],
    [['https://me:secret@example.org'], /credentials/],
    [[`https://example.org/${'x'.repeat(500)}`], /longer than 500/],
    [[...Array(11)].map((_, i) => `https://example.org/${i}`), /at most 10 \(got 11\)/],
  ])('refuses %j', (input, message) => {
    expect(() => normaliseLinks(input)).toThrow(message);
  });
});

describe('parsePullRequestRef', () => {
  it.each([
    ['BlinkDL/RWKV-LM#12', { kind: 'number', fullName: 'BlinkDL/RWKV-LM', number: 12 }],
    [' https://github.com/RWKV/rwkv.cpp/pull/7/ ', { kind: 'number', fullName: 'RWKV/rwkv.cpp', number: 7 }],
    ['1234567890', { kind: 'id', id: 1234567890 }],
  ])('reads %j', (value, ref) => {
    expect(parsePullRequestRef(value)).toEqual(ref);
  });

  it.each([['owner/name'], ['owner/name#0'], ['#12'], ['0'], ['https://github.com/a/b/issues/3'], ['a b/c#1']])('refuses %j', (value) => {
    expect(() => parsePullRequestRef(value)).toThrow(/is not a pull request/);
  });
});
