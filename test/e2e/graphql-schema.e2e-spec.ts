import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import { loadApiSchema, type ApiSchema } from '../helpers/api-schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../apps/api/schema.gql', import.meta.url));
const HEADER =
  '# The public GraphQL schema of apps/api, printed from the code-first types (sorted).\n' +
  '# Do not edit: regenerate with `UPDATE_SCHEMA=1 npm run jest -- test/e2e/graphql-schema.e2e-spec.ts`.\n\n';

/** Every named thing of the schema that lacks a description, as `Type.field(arg)` paths. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('GraphQL schema', () => {
  let api: ApiSchema;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    api = await loadApiSchema();
    schema = api.schema;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('matches the committed apps/api/schema.gql', async () => {
    const printed = HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(SCHEMA_FILE, printed);
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    expect(committed).toBe(printed);
  });

  it('describes every type, field, argument and enum value', () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('exposes the queries and mutations of the public API', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual([
      'accessGrants',
      'activities',
      'allocationPins',
      'auditEvents',
      'cohortPage',
      'cohorts',
      'communityMetrics',
      'digestPreview',
      'digestSends',
      'digestUnsubscribes',
      'ecosystem',
      'ecosystemDigestDefaults',
      'ecosystems',
      'exportMemberData',
      'failedJobs',
      'funnel',
      'hackathon',
      'hackathonResources',
      'hackathons',
      'itemFlow',
      'leaderboard',
      'matchingRun',
      'matchingRuns',
      'member',
      'memberEmailPreferences',
      'memberForLogin',
      'members',
      'mergeSuggestions',
      'organization',
      'organizations',
      'readyForNextStep',
      'repositories',
      'repository',
      'resourceRequests',
      'stageRules',
      'team',
      'teamNotifications',
      'viewer',
      'webhookDeliveries',
    ]);
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual([
      'acceptMergeSuggestion',
      'addHackathonRepositories',
      'addJudge',
      'addTrackedSource',
      'addWebhookSecret',
      'assignJudge',
      'autoAssignJudges',
      'changeHackathonStatus',
      'clearGithubIdentity',
      'createEcosystem',
      'createHackathon',
      'createJudgingCriterion',
      'createOrganization',
      'createResource',
      'createResourceRequest',
      'createTeam',
      'deleteJudgingCriterion',
      'deleteResource',
      'deleteResourceRequest',
      'endAffiliation',
      'freezeContributions',
      'grantOrganizer',
      'joinTeam',
      'leaveTeam',
      'mergeMembers',
      'overrideContribution',
      'pinAllocation',
      'publishMatchingRun',
      'redeliverWebhookDelivery',
      'registerForHackathon',
      'rejectMergeSuggestion',
      'removeAffiliation',
      'removeHackathonRepositories',
      'removeJudge',
      'removeTrackedSource',
      'removeWebhookSecret',
      'requestMemberDeletion',
      'retryFailedJob',
      'revokeAccessGrant',
      'revokeContributionOverride',
      'saveSubmission',
      'scoreSubmission',
      'setAffiliation',
      'setEcosystemDigestDefaults',
      'setGithubApp',
      'setGithubToken',
      'setMemberEmailPreferences',
      'setTrackedSourcePaused',
      'startDigestRun',
      'startMatchingRun',
      'startSync',
      'transferTeamCaptain',
      'unassignJudge',
      'unmergeMember',
      'unpinAllocation',
      'updateHackathon',
      'updateHackathonRegistration',
      'updateJudgingCriterion',
      'updateOrganization',
      'updateResource',
      'updateResourceRequest',
      'updateStageRules',
      'withdrawFromHackathon',
    ]);
  });
});
