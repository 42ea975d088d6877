import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Access } from '../graphql/access/access.decorator.js';

/** What an ecosystem's stored GitHub identity is. */
export enum GithubIdentityKindEnum {
  TOKEN = 'token',
  APP = 'app',
}

registerEnumType(GithubIdentityKindEnum, {
  name: 'GithubIdentityKind',
  description: 'How an ecosystem authenticates to GitHub when it has stored credentials.',
  valuesMap: {
    TOKEN: { description: 'A token (personal access, fine-grained or installation token).' },
    APP: { description: 'A GitHub App installation (app id, installation id, private key).' },
  },
});

@ObjectType('GithubIdentityCredential', { description: "An ecosystem's stored GitHub identity: what is set, never the value." })
export class GithubIdentityCredentialObject {
  @Field(() => GithubIdentityKindEnum, { description: 'Token or GitHub App installation.' })
  kind: GithubIdentityKindEnum;

  @Field(() => String, { nullable: true, description: 'The GitHub App id (APP), decimal; null for a token.' })
  appId: string | null;

  @Field(() => String, { nullable: true, description: 'The installation id (APP), decimal; null for a token.' })
  installationId: string | null;

  @Field({
    description:
      'Keyed fingerprint of the secret (12 hex digits; HMAC under a key derived from CAMBRIAN_SECRETS_KEY): tells stored values apart, reveals nothing of them.',
  })
  fingerprint: string;

  @Field({ description: 'Id of the encryption key the value is stored under (changes with `cambrian secrets rotate`).' })
  keyId: string;

  @Field({ description: 'When it was set (UTC instant).' })
  setAt: Date;

  @Field(() => String, { nullable: true, description: 'Who set it: `api-token:<id>` or `member:<id>`; null when unknown.' })
  setBy: string | null;
}

@ObjectType('GithubWebhookSecret', { description: "One of an ecosystem's stored webhook secrets: what is set, never the value." })
export class GithubWebhookSecretObject {
  @Field(() => ID, { description: 'Id of the stored secret (for removeWebhookSecret).' })
  id: string;

  @Field({ description: 'Keyed fingerprint of the secret (12 hex digits), as for GithubIdentityCredential.fingerprint.' })
  fingerprint: string;

  @Field({ description: 'Id of the encryption key the value is stored under.' })
  keyId: string;

  @Field({ description: 'When it was added (UTC instant).' })
  setAt: Date;

  @Field(() => String, { nullable: true, description: 'Who added it: `api-token:<id>` or `member:<id>`; null when unknown.' })
  setBy: string | null;
}

@ObjectType('EcosystemGithubCredentials', {
  description:
    "What GitHub credentials are stored for an ecosystem (encrypted at rest; values are write-only). Its syncs use the stored identity instead of the environment's; deliveries signed with a stored webhook secret are accepted besides GITHUB_WEBHOOK_SECRETS.",
})
export class EcosystemGithubCredentialsObject {
  @Field({ description: 'Slug of the ecosystem.' })
  ecosystem: string;

  @Field(() => GithubIdentityCredentialObject, {
    nullable: true,
    description: "The stored token or GitHub App; null: syncs use the environment's (GITHUB_TOKEN or GITHUB_APP_*).",
  })
  identity: GithubIdentityCredentialObject | null;

  @Access.asParent('Ecosystem.githubCredentials (admins)')
  @Field(() => [GithubWebhookSecretObject], { description: 'Stored webhook secrets, oldest first.' })
  webhookSecrets: GithubWebhookSecretObject[];
}
