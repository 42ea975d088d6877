import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { GithubCredentialException, GithubCredentialExceptionCode, GithubCredentialService, type EcosystemCredentialStatus } from '#libs/github';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { EcosystemObject } from '../ecosystem/ecosystem.type.js';
import { AddWebhookSecretArgs, EcosystemCredentialsArgs, RemoveWebhookSecretArgs, SetGithubAppArgs, SetGithubTokenArgs } from './github-credentials.args.js';
import { EcosystemGithubCredentialsObject, GithubIdentityKindEnum } from './github-credentials.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const ADMIN =
  'Admins only (UNAUTHENTICATED / FORBIDDEN). Without CAMBRIAN_SECRETS_KEY in production: FAILED_PRECONDITION. ' +
  'The value is stored encrypted and never returned.';

/** A GitHub numeric id given as decimal digits (GraphQL Int stops at 2^31). */
function githubId(name: string, value: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    // the value is not echoed: a secret pasted into the wrong field must not come back in an error
    throw new GithubCredentialException(`${name} must be a positive integer in decimal digits (got ${value.length} characters)`, GithubCredentialExceptionCode.INVALID);
  }
  return Number(value);
}

/** The GraphQL shape of what is stored (no values exist in it to leak). */
function toObject(slug: string, status: EcosystemCredentialStatus): EcosystemGithubCredentialsObject {
  const identity = status.identity;
  return {
    ecosystem: slug,
    identity: identity
      ? {
          kind: identity.kind === 'app' ? GithubIdentityKindEnum.APP : GithubIdentityKindEnum.TOKEN,
          appId: identity.appId === null ? null : String(identity.appId),
          installationId: identity.installationId === null ? null : String(identity.installationId),
          fingerprint: identity.fingerprint,
          keyId: identity.keyId,
          setAt: identity.setAt,
          setBy: identity.setBy,
        }
      : null,
    webhookSecrets: status.webhookSecrets.map(({ id, fingerprint, keyId, setAt, setBy }) => ({ id, fingerprint, keyId, setAt, setBy })),
  };
}

/**
 * Per-ecosystem GitHub credentials (issue 8): write-only mutations, and `Ecosystem.githubCredentials`
 * showing what is set. Translation only; rules live in `GithubCredentialService`.
 */
@Resolver(() => EcosystemObject)
export class GithubCredentialsResolver {
  constructor(private readonly credentials: GithubCredentialService) {}

  @Access.admin()
  @ResolveField(() => EcosystemGithubCredentialsObject, {
    description: 'What GitHub credentials are stored for the ecosystem (kinds, fingerprints, set_at/set_by; never a value). Admins only.',
  })
  async githubCredentials(@Parent() ecosystem: EcosystemObject): Promise<EcosystemGithubCredentialsObject> {
    return toObject(ecosystem.slug, await this.credentials.status(ecosystem.id));
  }

  @AdminOnly()
  @Mutation(() => EcosystemGithubCredentialsObject, {
    description: `Stores a GitHub token for the ecosystem's syncs, replacing a stored token or App. ${ADMIN}`,
  })
  async setGithubToken(@Args() { ecosystem, token }: SetGithubTokenArgs, @Context() ctx: GqlContext) {
    return toObject(ecosystem, await this.credentials.setToken(ecosystem, token, viewerActor(ctx.viewer)));
  }

  @AdminOnly()
  @Mutation(() => EcosystemGithubCredentialsObject, {
    description: `Stores a GitHub App installation for the ecosystem's syncs, replacing a stored token or App. ${ADMIN}`,
  })
  async setGithubApp(@Args() args: SetGithubAppArgs, @Context() ctx: GqlContext) {
    const app = { appId: githubId('appId', args.appId), installationId: githubId('installationId', args.installationId), privateKey: args.privateKey };
    return toObject(args.ecosystem, await this.credentials.setApp(args.ecosystem, app, viewerActor(ctx.viewer)));
  }

  @AdminOnly()
  @Mutation(() => EcosystemGithubCredentialsObject, {
    description: "Removes the ecosystem's stored token or App; its syncs use the environment's credentials again. Admins only.",
  })
  async clearGithubIdentity(@Args() { ecosystem }: EcosystemCredentialsArgs) {
    return toObject(ecosystem, await this.credentials.clearIdentity(ecosystem));
  }

  @AdminOnly()
  @Mutation(() => EcosystemGithubCredentialsObject, {
    description: `Adds a webhook secret: deliveries signed with it are accepted (several may be held, for rotation). ${ADMIN}`,
  })
  async addWebhookSecret(@Args() { ecosystem, secret }: AddWebhookSecretArgs, @Context() ctx: GqlContext) {
    return toObject(ecosystem, await this.credentials.addWebhookSecret(ecosystem, secret, viewerActor(ctx.viewer)));
  }

  @AdminOnly()
  @Mutation(() => EcosystemGithubCredentialsObject, {
    description: 'Removes a stored webhook secret; deliveries signed only with it are refused (other api processes within 30 s). Admins only.',
  })
  async removeWebhookSecret(@Args() { ecosystem, id }: RemoveWebhookSecretArgs) {
    return toObject(ecosystem, await this.credentials.removeWebhookSecret(ecosystem, id));
  }
}
