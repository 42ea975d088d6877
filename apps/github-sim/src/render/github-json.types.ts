/** Where rendered URLs point: the sim's own API base (so links can be followed) and GitHub's web host. */
export interface UrlContext {
  /** Sim API base URL without trailing slash, e.g. `http://127.0.0.1:3100`. */
  apiUrl: string;
  /** Web base for `html_url` fields: `https://github.com` (the data is real GitHub data). */
  htmlUrl: string;
}

/** A JSON object as the REST API returns it. */
export type JsonObject = { [key: string]: unknown };
