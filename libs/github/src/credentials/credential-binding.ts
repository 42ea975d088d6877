import type { GithubCredentialKind } from './github-credential.entity.js';

/** The plain columns of a credential row that its ciphertext is bound to. */
export interface CredentialRowIdentity {
  id: string;
  ecosystemId: number;
  kind: GithubCredentialKind;
  appId: number | null;
  installationId: number | null;
}

/**
 * The AES-GCM associated data of a credential row: its id, ecosystem, kind and (for an App) app
 * and installation ids. A sealed value moved to another row, or a row whose ecosystem, kind or App
 * ids were changed, fails authentication instead of handing one ecosystem's secret to another.
 */
export function credentialAssociatedData(row: CredentialRowIdentity): string {
  return [
    'cambrian/github_credential/v1',
    `id=${row.id}`,
    `ecosystem=${row.ecosystemId}`,
    `kind=${row.kind}`,
    `app=${row.appId ?? ''}`,
    `installation=${row.installationId ?? ''}`,
  ].join('\n');
}

/** How messages name a credential row (never its value). */
export function describeCredential(row: Pick<CredentialRowIdentity, 'ecosystemId' | 'kind'> & { id?: string }): string {
  const what = row.kind === 'token' ? 'the GitHub token' : row.kind === 'app' ? 'the GitHub App private key' : `webhook secret ${row.id ?? ''}`.trimEnd();
  return `${what} of ecosystem ${row.ecosystemId}`;
}
