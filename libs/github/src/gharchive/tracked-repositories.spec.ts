import { TrackedRepositoryIndex } from './tracked-repositories.js';

describe('TrackedRepositoryIndex', () => {
  const index = TrackedRepositoryIndex.of([
    { id: 1234, fullName: 'BlinkDL/RWKV-LM' },
    { id: 99, fullName: 'acme/model.cpp' },
  ]);

  it.each([
    ['the id, when the event has one', { id: 1234, fullName: 'someone/renamed' }, 1234],
    ['nothing for another id, even under a tracked name', { id: 555, fullName: 'BlinkDL/RWKV-LM' }, null],
    ['owner/name case-insensitively when the event has no id', { id: null, fullName: 'blinkdl/rwkv-lm' }, 1234],
    ['nothing for an unknown name without id', { id: null, fullName: 'blinkdl/other' }, null],
  ])('matches %s', (_name, repository, expected) => {
    expect(index.match(repository)).toBe(expected);
  });

  it.each([
    ['an Events API line with a tracked id', '{"type":"WatchEvent","repo":{"id":1234,"name":"BlinkDL/RWKV-LM"}}', true],
    ['a timeline line with a tracked name and no id', '{"type":"WatchEvent","repository":{"name":"rwkv-lm","owner":"BlinkDL"}}', true],
    ['a name with regular-expression characters', '{"repo":{"name":"acme/model.cpp"}}', true],
    ['a line naming no tracked id or name', '{"type":"WatchEvent","repo":{"id":12345,"name":"x/y"}}', false],
    ['an id that is only part of a longer number', '{"repo":{"id":991234}}', false],
    ['the dot of a name taken literally', '{"repo":{"name":"acme/modelXcpp"}}', false],
  ])('pre-filters raw lines: %s', (_name, line, expected) => {
    expect(index.mightMatch(line)).toBe(expected);
  });

  it('lets nothing through when nothing is tracked', () => {
    expect(TrackedRepositoryIndex.of([]).mightMatch('{"repo":{"id":1}}')).toBe(false);
  });
});
