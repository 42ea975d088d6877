/** Why a credential operation was refused; mapped to GraphQL `extensions.code`. */
export enum GithubCredentialExceptionCode {
  /** A value that cannot be a credential (empty token, a private key that is not PEM, …). */
  INVALID = 'GITHUB_CREDENTIAL_INVALID',
  /** No such stored webhook secret. */
  NOT_FOUND = 'GITHUB_CREDENTIAL_NOT_FOUND',
  /** The same webhook secret is stored already, or the ecosystem has as many as it may. */
  CONFLICT = 'GITHUB_CREDENTIAL_CONFLICT',
}

/** A refused credential operation. The message never contains the secret. */
export class GithubCredentialException extends Error {
  constructor(
    message: string,
    readonly code: GithubCredentialExceptionCode,
  ) {
    super(message);
    this.name = 'GithubCredentialException';
  }
}
