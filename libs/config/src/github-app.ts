import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** How Cambrian authenticates to GitHub as a GitHub App installation. */
export interface GithubAppCredentials {
  appId: number;
  /** PEM private key of the App (PKCS#1 or PKCS#8). */
  privateKey: string;
  installationId: number;
}

/** The GitHub App variables of the environment (as the config schema parses them). */
export interface GithubAppVariables {
  GITHUB_TOKEN: string;
  GITHUB_APP_ID?: number;
  GITHUB_APP_PRIVATE_KEY?: string;
  GITHUB_APP_PRIVATE_KEY_FILE?: string;
  GITHUB_APP_INSTALLATION_ID?: number;
}

/** A configuration problem, with the variable it is about. */
export interface GithubAppProblem {
  variable: keyof GithubAppVariables;
  message: string;
}

/** `\n` written literally (a one-line environment value) back to newlines. */
function pemText(value: string): string {
  return value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
}

/**
 * Reads and checks the GitHub App variables. Returns the credentials (null when no App variable
 * is set: a personal access token or anonymous access is used) or the problems, each naming its
 * variable:
 * - an App needs GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and exactly one of
 *   GITHUB_APP_PRIVATE_KEY / GITHUB_APP_PRIVATE_KEY_FILE;
 * - the key must parse as a PEM private key (node:crypto), the file must be readable;
 * - GITHUB_TOKEN and an App are mutually exclusive (one identity, one rate-limit budget).
 */
export function readGithubApp(env: GithubAppVariables): { credentials: GithubAppCredentials | null; problems: GithubAppProblem[] } {
  const problems: GithubAppProblem[] = [];
  const anyApp =
    env.GITHUB_APP_ID !== undefined ||
    env.GITHUB_APP_PRIVATE_KEY !== undefined ||
    env.GITHUB_APP_PRIVATE_KEY_FILE !== undefined ||
    env.GITHUB_APP_INSTALLATION_ID !== undefined;
  if (!anyApp) return { credentials: null, problems };
  const required = 'required when a GitHub App is configured (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE)';
  if (env.GITHUB_APP_ID === undefined) problems.push({ variable: 'GITHUB_APP_ID', message: required });
  if (env.GITHUB_APP_INSTALLATION_ID === undefined) problems.push({ variable: 'GITHUB_APP_INSTALLATION_ID', message: required });
  if (env.GITHUB_TOKEN) {
    problems.push({ variable: 'GITHUB_TOKEN', message: 'GITHUB_TOKEN and a GitHub App (GITHUB_APP_*) are mutually exclusive: unset one of them' });
  }
  let privateKey: string | undefined;
  let keyVariable: 'GITHUB_APP_PRIVATE_KEY' | 'GITHUB_APP_PRIVATE_KEY_FILE' = 'GITHUB_APP_PRIVATE_KEY';
  if (env.GITHUB_APP_PRIVATE_KEY !== undefined && env.GITHUB_APP_PRIVATE_KEY_FILE !== undefined) {
    problems.push({ variable: 'GITHUB_APP_PRIVATE_KEY_FILE', message: 'set GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, not both' });
  } else if (env.GITHUB_APP_PRIVATE_KEY !== undefined) {
    privateKey = pemText(env.GITHUB_APP_PRIVATE_KEY);
  } else if (env.GITHUB_APP_PRIVATE_KEY_FILE !== undefined) {
    keyVariable = 'GITHUB_APP_PRIVATE_KEY_FILE';
    try {
      privateKey = readFileSync(env.GITHUB_APP_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push({ variable: keyVariable, message: `cannot read ${env.GITHUB_APP_PRIVATE_KEY_FILE}: ${(error as Error).message}` });
    }
  } else {
    problems.push({ variable: 'GITHUB_APP_PRIVATE_KEY', message: `${required}; or set GITHUB_APP_PRIVATE_KEY_FILE` });
  }
  if (privateKey !== undefined) {
    try {
      createPrivateKey({ key: privateKey, format: 'pem' });
    } catch (error) {
      problems.push({ variable: keyVariable, message: `not a PEM private key (${(error as Error).message})` });
    }
  }
  if (problems.length) return { credentials: null, problems };
  return { credentials: { appId: env.GITHUB_APP_ID!, privateKey: privateKey!, installationId: env.GITHUB_APP_INSTALLATION_ID! }, problems };
}

/**
 * The GitHub App credentials of a validated configuration, or null when Cambrian uses
 * GITHUB_TOKEN (or no token). `loadConfig` has already refused an incomplete or invalid App.
 * @throws Error naming the variable when the key file became unreadable since.
 */
export function githubAppCredentials(config: GithubAppVariables): GithubAppCredentials | null {
  const { credentials, problems } = readGithubApp(config);
  if (problems.length) throw new Error(problems.map((problem) => `${problem.variable}: ${problem.message}`).join('; '));
  return credentials;
}
