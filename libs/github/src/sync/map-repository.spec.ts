import { mapRepository } from './map-repository.js';

describe('mapRepository', () => {
  it.each([
    [
      'a repository with every field',
      {
        id: 1,
        name: 'rwkv.cpp',
        full_name: 'RWKV/rwkv.cpp',
        owner: { login: 'RWKV' },
        default_branch: 'master',
        fork: false,
        archived: false,
        stargazers_count: 1500,
        forks_count: 100,
        created_at: '2023-03-30T00:00:00Z',
        pushed_at: '2025-01-01T00:00:00Z',
        topics: ['rwkv', 'hacktoberfest', ''],
      },
      {
        id: 1,
        owner: 'RWKV',
        name: 'rwkv.cpp',
        fullName: 'RWKV/rwkv.cpp',
        defaultBranch: 'master',
        isFork: false,
        isArchived: false,
        stargazersCount: 1500,
        forksCount: 100,
        createdAt: new Date('2023-03-30T00:00:00Z'),
        pushedAt: new Date('2025-01-01T00:00:00Z'),
        topics: ['rwkv', 'hacktoberfest'],
      },
    ],
    [
      'an archived fork with the optional fields missing',
      { id: 2, name: 'x', full_name: 'o/x', owner: { login: 'o' }, fork: true, archived: true },
      {
        id: 2,
        owner: 'o',
        name: 'x',
        fullName: 'o/x',
        defaultBranch: null,
        isFork: true,
        isArchived: true,
        stargazersCount: null,
        forksCount: null,
        createdAt: null,
        pushedAt: null,
        // no `topics` key: unknown, the stored topics stay
        topics: null,
      },
    ],
    [
      'a repository whose topics were all removed',
      { id: 3, name: 'y', full_name: 'o/y', owner: { login: 'o' }, fork: false, topics: [] },
      {
        id: 3,
        owner: 'o',
        name: 'y',
        fullName: 'o/y',
        defaultBranch: null,
        isFork: false,
        isArchived: false,
        stargazersCount: null,
        forksCount: null,
        createdAt: null,
        pushedAt: null,
        topics: [],
      },
    ],
  ])('%s', (_label, input, expected) => {
    expect(mapRepository(input)).toEqual(expected);
  });
});
