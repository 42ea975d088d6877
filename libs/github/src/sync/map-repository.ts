import type { RestRepository } from './rest-shapes.js';

/** A `repository` row as discovery writes it. */
export interface RepositoryRow {
  /** GitHub's numeric id: the key (owner and name change on rename and transfer). */
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string | null;
  isFork: boolean;
  isArchived: boolean;
  stargazersCount: number | null;
  forksCount: number | null;
  createdAt: Date | null;
  pushedAt: Date | null;
  /** Topic names; null when the object has no `topics` key (the stored ones stay). */
  topics: string[] | null;
}

/** Maps a REST `repository` / `minimal-repository` object to its row (instants in UTC). */
export function mapRepository(repo: RestRepository): RepositoryRow {
  const [ownerFromFullName, nameFromFullName] = repo.full_name.split('/');
  return {
    id: repo.id,
    owner: repo.owner?.login ?? ownerFromFullName,
    name: repo.name ?? nameFromFullName,
    fullName: repo.full_name,
    defaultBranch: repo.default_branch ?? null,
    isFork: repo.fork,
    isArchived: repo.archived ?? false,
    stargazersCount: repo.stargazers_count ?? null,
    forksCount: repo.forks_count ?? null,
    createdAt: repo.created_at ? new Date(repo.created_at) : null,
    pushedAt: repo.pushed_at ? new Date(repo.pushed_at) : null,
    topics: topicNames(repo.topics),
  };
}

/** Topic names of a `topics` array (strings; NUL characters dropped), or null when it is absent or not an array. */
export function topicNames(topics: unknown): string[] | null {
  if (!Array.isArray(topics)) return null;
  return topics.filter((topic): topic is string => typeof topic === 'string' && topic.length > 0).map((topic) => topic.replaceAll('\u0000', ''));
}
