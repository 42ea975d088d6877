import { MAX_TAGS, normaliseTags } from './normalise-tags.js';

describe('normaliseTags', () => {
  it.each<[string, string[] | null, string[]]>([
    ['nothing', null, []],
    ['trims and lower-cases', ['  CUDA ', 'Fine-Tuning'], ['cuda', 'fine-tuning']],
    ['folds inner whitespace', ['chinese   NLP', 'chinese\tnlp'], ['chinese nlp']],
    ['drops empty tags', ['', '   ', 'rust'], ['rust']],
    ['keeps the first of duplicates, in order', ['b', 'A', 'a', 'B', 'c'], ['b', 'a', 'c']],
    ['keeps non-Latin scripts', ['中文', 'Ünïcode'], ['中文', 'ünïcode']],
    ['accepts 50 characters', ['x'.repeat(50)], ['x'.repeat(50)]],
    ['counts after removing duplicates', [...Array(MAX_TAGS + 5)].map((_, i) => `t${i % MAX_TAGS}`), [...Array(MAX_TAGS)].map((_, i) => `t${i}`)],
  ])('%s', (_name, input, expected) => {
    expect(normaliseTags('skills', input)).toEqual(expected);
  });

  it.each<[string, string[], RegExp]>([
    ['a tag over 50 characters', ['y'.repeat(51)], /skills: ".*" is longer than 50 characters/],
    ['too many tags', [...Array(MAX_TAGS + 1)].map((_, i) => `t${i}`), /skills: at most 30 tags \(got 31\)/],
    ['control characters', ['a\u0000b'], /control characters/],
  ])('refuses %s with BAD_USER_INPUT', (_name, input, message) => {
    expect(() => normaliseTags('skills', input)).toThrow(message);
    expect(() => normaliseTags('skills', input)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
