import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { FastifyRequest } from 'fastify';
import { AccessModule } from '#libs/access';
import { AuthModule } from '#libs/auth';
import { EcosystemModule, GithubCredentialsModule, SyncHealthModule, SyncSchedulerService, WebhookIngestModule } from '#libs/github';
import { MemberQueriesModule, MembersModule, MergesModule, MetricsModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { ActivityConnectionResolver, ActivityResolver } from '../activities/activity.resolver.js';
import { AuditApiModule } from '../audit/audit-api.module.js';
import { DigestPreviewApiModule } from '../digests/preview/digest-preview-api.module.js';
import { AccessGrantResolver } from '../auth/access-grant.resolver.js';
import { ViewerResolver } from '../auth/viewer.resolver.js';
import { GithubCredentialsResolver } from '../credentials/github-credentials.resolver.js';
import { EcosystemResolver } from '../ecosystem/ecosystem.resolver.js';
import { FailedJobsResolver } from '../jobs/failed-jobs.resolver.js';
import { MatchingApiModule } from '../hackathons/matching/matching-api.module.js';
import { MemberDataApiModule } from '../member-data/member-data-api.module.js';
import { LeaderboardResolver } from '../leaderboard/leaderboard.resolver.js';
import { MEMBER_IDENTITY_RESOLVERS } from '../members/member-identities.resolver.js';
import { MemberResolver } from '../members/member.resolver.js';
import { METRICS_RESOLVERS } from '../metrics/metrics.resolver.js';
import { OrganizationsApiModule } from '../organizations/organizations-api.module.js';
import { RepositoryResolver } from '../repositories/repository.resolver.js';
import { StagesApiModule } from '../stages/stages-api.module.js';
import { HackathonsCoreApiModule } from '../hackathons/core/hackathons-core-api.module.js';
import { HackathonsContributionsApiModule } from '../hackathons/contributions/hackathons-contributions-api.module.js';
import { JudgingApiModule } from '../hackathons/judging/judging-api.module.js';
import { MemberHackathonsApiModule } from '../hackathons/member-hackathons/member-hackathons-api.module.js';
import { WebhookDeliveriesResolver, WebhookDeliveryConnectionResolver } from '../webhooks/webhook-deliveries.resolver.js';
import { applyAccessRules } from './access/access-enforcement.js';
import { GraphqlContextFactory, type GqlContext } from './graphql-context.js';
import { classifyError, formatGraphqlError, withoutSuggestions } from './graphql-error-mapper.js';
import { MAX_DOCUMENT_TOKENS } from './document-limits.js';
import { LoadersFactory } from './loaders.js';
import { queryCostPlugin } from './query-cost.js';
import { operationAccessPlugin } from './operation-access.plugin.js';
import { textInputPlugin } from './text-input.plugin.js';
import { graphqlMetricsPlugin } from '#libs/observability';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { StrictDateTime } from './date-time.scalar.js';

/** Path of the GraphQL endpoint. */
export const GRAPHQL_PATH = '/graphql';

/** What the per-request context needs: token verification and the read models behind the loaders. */
@Module({
  imports: [AuthModule, AccessModule, MemberQueriesModule, SyncHealthModule],
  providers: [LoadersFactory, GraphqlContextFactory],
  exports: [GraphqlContextFactory, AuthModule, AccessModule, MemberQueriesModule],
})
export class GraphqlContextModule {}

/**
 * Logs errors the mapper does not know with the request id (they reach the caller only as
 * INTERNAL_SERVER_ERROR), and quotes that id in the answer's `extensions.requestId` so a report
 * can be matched to the log line.
 */
function unknownErrorLogger(logger: Logger): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (classifyError(error).known) continue;
            const original = error.originalError ?? error;
            logger.error(
              `request ${contextValue.requestId}${operationName ? ` (${operationName})` : ''}` +
                `${error.path ? ` at ${error.path.join('.')}` : ''}: ${original.stack ?? original.message}`,
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code !== 'INTERNAL_SERVER_ERROR') continue;
            (error as { extensions: Record<string, unknown> }).extensions = { ...error.extensions, requestId: contextValue.requestId };
          }
        },
      };
    },
  };
}

/**
 * `/graphql`: code-first schema (built in memory, sorted; `apps/api/schema.gql` is its
 * committed copy, checked by a test), Apollo Server 5 on Fastify, a context per request with
 * the viewer and fresh DataLoaders, and one error mapper (`formatGraphqlError`).
 *
 * Protection (README, "Protection"): document size and shape (characters, tokens, fields, depth,
 * aliases) are checked before Apollo by `documentGuard` (http/http-protection.ts installs it);
 * documents over `MAX_DOCUMENT_TOKENS` also stop Apollo's parser; page sizes and cost are checked
 * before execution (`queryCostPlugin`). With
 * `NODE_ENV=production`: no introspection, no landing page (GraphiQL), and no "Did you mean"
 * suggestions, which would spell the schema out field by field.
 */
@Module({
  imports: [
    GraphqlContextModule,
    EcosystemModule,
    GithubCredentialsModule,
    QueueModule,
    WebhookIngestModule,
    StagesApiModule,
    OrganizationsApiModule,
    HackathonsCoreApiModule,
    HackathonsContributionsApiModule,
    JudgingApiModule,
    MatchingApiModule,
    MemberHackathonsApiModule,
    DigestPreviewApiModule,
    AuditApiModule,
    MemberDataApiModule,
    MembersModule,
    MergesModule,
    MetricsModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [GraphqlContextModule],
      inject: [GraphqlContextFactory, CAMBRIAN_CONFIG],
      useFactory: (contexts: GraphqlContextFactory, config: CambrianConfig): ApolloDriverConfig => ({
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        sortSchema: true,
        // every field's @Access rule, enforced before its resolver (access/access-enforcement.ts)
        transformSchema: applyAccessRules,
        buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: StrictDateTime }] },
        introspection: config.NODE_ENV !== 'production',
        graphiql: config.NODE_ENV !== 'production',
        parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
        includeStacktraceInErrorResponses: false,
        autoTransformHttpErrors: false,
        context: (request: FastifyRequest) => contexts.create(request),
        formatError:
          config.NODE_ENV === 'production'
            ? (formatted, error) => withoutSuggestions(formatGraphqlError(formatted, error))
            : formatGraphqlError,
        plugins: [
          operationAccessPlugin(),
          textInputPlugin(),
          queryCostPlugin(),
          unknownErrorLogger(new Logger('GraphQL')),
          graphqlMetricsPlugin(),
          // Apollo's default cache-control plugin runs a hook on every resolved field to compute a header from
          // cache hints; no field sets one, and every /graphql answer is `no-store` (http/http-protection.ts)
          ApolloServerPluginCacheControlDisabled(),
        ],
      }),
    }),
  ],
  providers: [
    SyncSchedulerService,
    EcosystemResolver,
    GithubCredentialsResolver,
    FailedJobsResolver,
    WebhookDeliveriesResolver,
    WebhookDeliveryConnectionResolver,
    RepositoryResolver,
    MemberResolver,
    ActivityResolver,
    ActivityConnectionResolver,
    LeaderboardResolver,
    ViewerResolver,
    AccessGrantResolver,
    ...MEMBER_IDENTITY_RESOLVERS,
    ...METRICS_RESOLVERS,
  ],
})
export class GraphqlApiModule {}
