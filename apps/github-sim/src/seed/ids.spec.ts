import { GeneratedIdRange, isGeneratedId, legacyNodeId, stableId } from './ids.js';

describe('legacyNodeId', () => {
  it.each([
    ['User', 1, 'MDQ6VXNlcjE='],
    ['Repository', 1296269, 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5'],
    ['Bot', 49699333, 'MDM6Qm90NDk2OTkzMzM='],
  ])('encodes %s %s as GitHub does', (type, id, expected) => {
    expect(legacyNodeId(type, id)).toBe(expected);
  });
});

describe('stableId', () => {
  it('is deterministic and stays in the range of its kind', () => {
    const id = stableId('repository', 'BlinkDL/RWKV-LM');
    expect(stableId('repository', 'BlinkDL/RWKV-LM')).toBe(id);
    expect(id).toBeGreaterThanOrEqual(GeneratedIdRange.repository.base);
    expect(id).toBeLessThan(GeneratedIdRange.repository.base + GeneratedIdRange.repository.span);
    expect(stableId('repository', 'BlinkDL/ChatRWKV')).not.toBe(id);
  });

  it('marks real-looking ids as not generated', () => {
    expect(isGeneratedId(33809201)).toBe(false);
    expect(isGeneratedId(stableId('account', 'x'))).toBe(true);
  });
});
