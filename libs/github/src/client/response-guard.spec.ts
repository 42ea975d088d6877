import { answerObject, GithubResponseError, nextPagePath, pageItems } from './response-guard.js';

const BASE = 'https://ghe.example/api/v3';
const answer = (data: unknown, link?: string) => ({ data, headers: link ? { link } : {} });

describe('pageItems', () => {
  it('returns the array of a list page', () => {
    expect(pageItems(answer([{ id: 1 }]), '/x')).toEqual([{ id: 1 }]);
  });

  it.each<[string, unknown, RegExp]>([
    ['JSON cut off (Octokit hands the text over)', '[{"id": 1', /\/x with a body that is not JSON \(9 characters\) where a JSON array was expected/],
    ['an empty body', '', /an empty body/],
    ['an object', { message: 'Moved' }, /a JSON object where a JSON array/],
    ['null', null, /with null where/],
    ['bytes', new ArrayBuffer(4), /a binary body \(4 bytes\)/],
  ])('refuses %s', (_name, data, message) => {
    expect(() => pageItems(answer(data), '/x')).toThrow(GithubResponseError);
    expect(() => pageItems(answer(data), '/x')).toThrow(message);
  });
});

describe('answerObject', () => {
  it('returns an object and refuses an array or text', () => {
    expect(answerObject(answer({ id: 1 }), '/r')).toEqual({ id: 1 });
    expect(() => answerObject(answer([]), '/r')).toThrow(/an array where a JSON object/);
    expect(() => answerObject(answer('<html>'), '/r')).toThrow(/not JSON/);
  });
});

describe('nextPagePath', () => {
  it('gives the next page relative to the base, or null on the last page', () => {
    expect(nextPagePath(answer([], `<${BASE}/repos/a/b/commits?page=2>; rel="next", <${BASE}/repos/a/b/commits?page=9>; rel="last"`), BASE, '/x')).toBe(
      '/repos/a/b/commits?page=2',
    );
    expect(nextPagePath(answer([], `<${BASE}/repos/a/b/commits?page=1>; rel="prev"`), BASE, '/x')).toBeNull();
    expect(nextPagePath(answer([]), BASE, '/x')).toBeNull();
  });

  it.each([
    ['another host', 'https://evil.example/api/v3/repos/a/b?page=2'],
    ['the same host outside the base path', 'https://ghe.example/other/repos/a/b?page=2'],
    ['a protocol-relative URL', '//evil.example/repos/a/b?page=2'],
  ])('refuses a next link to %s (the token would be sent there)', (_name, url) => {
    expect(() => nextPagePath(answer([], `<${url}>; rel="next"`), BASE, '/x')).toThrow(/next page outside https:\/\/ghe.example\/api\/v3 .* not followed/);
  });
});
