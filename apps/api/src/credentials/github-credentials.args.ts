import { ArgsType, Field, ID } from '@nestjs/graphql';

const ECOSYSTEM = 'Slug of the ecosystem; unknown: NOT_FOUND.';

@ArgsType()
export class SetGithubTokenArgs {
  @Field({ description: ECOSYSTEM })
  ecosystem: string;

  @Field({
    description:
      'A GitHub token (personal access, fine-grained or installation token): 1–1024 printable ASCII characters without spaces, ' +
      'else BAD_USER_INPUT. Write-only: stored encrypted, never returned.',
  })
  token: string;
}

@ArgsType()
export class SetGithubAppArgs {
  @Field({ description: ECOSYSTEM })
  ecosystem: string;

  @Field({ description: 'The GitHub App id, decimal digits (GitHub: the App settings page).' })
  appId: string;

  @Field({ description: "The installation's id, decimal digits (GitHub: \"Get a repository installation\")." })
  installationId: string;

  @Field({
    description:
      "The App's private key, PEM (PKCS#1 or PKCS#8; newlines may be written \\n); not a PEM private key: BAD_USER_INPUT. " +
      'Write-only: stored encrypted, never returned.',
  })
  privateKey: string;
}

@ArgsType()
export class EcosystemCredentialsArgs {
  @Field({ description: ECOSYSTEM })
  ecosystem: string;
}

@ArgsType()
export class AddWebhookSecretArgs {
  @Field({ description: ECOSYSTEM })
  ecosystem: string;

  @Field({
    description:
      "A webhook's secret, exactly as entered on GitHub (1–1024 characters); already stored, or 10 held: CONFLICT. " +
      'Write-only: stored encrypted, never returned.',
  })
  secret: string;
}

@ArgsType()
export class RemoveWebhookSecretArgs {
  @Field({ description: ECOSYSTEM })
  ecosystem: string;

  @Field(() => ID, { description: 'Id of the stored webhook secret (EcosystemGithubCredentials.webhookSecrets.id); unknown: NOT_FOUND.' })
  id: string;
}
