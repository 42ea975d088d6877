import { createRequestSchema, createResourceSchema, updateRequestSchema, updateResourceSchema } from './resource.types.js';

describe('resource and request schemas: tags', () => {
  const resource = { kind: 'gpu_hours', name: 'A100 hours', capacity: 10, perTeamMax: 2 } as const;
  const request = { teamId: '00000000-0000-4000-8000-000000000001', kind: 'gpu_hours', amount: 1, rank: 1 } as const;

  it('stores tags trimmed, lower-case, unique and sorted', () => {
    expect(createResourceSchema.parse({ ...resource, tags: [' CUDA', 'cuda', 'Fine-Tuning'] }).tags).toEqual(['cuda', 'fine-tuning']);
  });

  it.each<[string, () => unknown]>([
    ['a resource tag', () => createResourceSchema.parse({ ...resource, tags: ['cu\u0000da'] })],
    ['an eligibility skill', () => createResourceSchema.parse({ ...resource, eligibilitySkills: ['\u0000'] })],
    ['a changed resource tag', () => updateResourceSchema.parse({ tags: ['a\u0000'] })],
    ['a request tag', () => createRequestSchema.parse({ ...request, tags: ['x\u0000'] })],
    ['a changed request tag', () => updateRequestSchema.parse({ tags: ['x\u0000'] })],
  ])('refuses a NUL character in %s (Postgres refuses it in text)', (_name, parse) => {
    expect(parse).toThrow(/a tag must not contain a NUL character/);
  });
});
