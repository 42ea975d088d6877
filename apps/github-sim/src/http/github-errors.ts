/** Documentation links GitHub puts in error bodies (the sim returns the same ones). */
export const DocsUrl = {
  rest: 'https://docs.github.com/rest',
  rateLimits: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  secondaryRateLimits: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  getAuthenticatedUser: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
  getCommit: 'https://docs.github.com/rest/commits/commits#get-a-commit',
  listCommits: 'https://docs.github.com/rest/commits/commits#list-commits',
} as const;

/** GitHub's error body: `{"message", "documentation_url", "status"}` (status as a string, as api.github.com sends it). */
export function githubError(status: number, message: string, documentationUrl: string = DocsUrl.rest): Record<string, string> {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

/** The 404 body GitHub returns for unknown owners, repositories, routes and numbers. */
export function notFound(documentationUrl: string = DocsUrl.rest): Record<string, string> {
  return githubError(404, 'Not Found', documentationUrl);
}
