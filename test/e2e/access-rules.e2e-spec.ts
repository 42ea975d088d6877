import { isObjectType, type GraphQLSchema } from 'graphql';
import { accessRuleOf } from '../../apps/api/src/graphql/access/access-enforcement.js';
import { loadApiSchema, type ApiSchema } from '../helpers/api-schema.js';

/**
 * Personal data (issue 8): every one of these fields must declare who may read it. A field whose
 * name matches {@link PERSONAL_NAME} anywhere in the schema counts too, so a new `email` field
 * without a rule fails here.
 */
const PERSONAL_FIELDS = [
  'Affiliation.evidence',
  'DigestSend.email',
  'DigestSend.reason',
  'Hackathon.contributionOverrides',
  'Hackathon.judgeAssignments',
  'Hackathon.judgeScores',
  'Hackathon.judgingResults',
  'Hackathon.matchingRuns',
  'Hackathon.registrations',
  'HackathonRegistration.emailConsent',
  'HackathonRegistration.interests',
  'HackathonRegistration.needs',
  'HackathonRegistration.skills',
  'Contribution.override',
  'Identity.email',
  'Identity.evidence',
  'Identity.proofs',
  'JudgeScore.comment',
  'Member.affiliations',
  'Member.hackathons',
  'Member.identities',
  'MemberEmailPreferences.email',
  'MemberMerge.reason',
  'MemberMerge.unmergeReason',
  'MergeSuggestion.evidenceJson',
  'Team.inviteCode',
  'Team.notifications',
  'Viewer.csrfToken',
  'Viewer.grants',
];
const PERSONAL_NAME = /e-?mail|consent|skills|interests|needs|invite|token|secret|grants/i;

/** Every field that must have an explicit rule and lacks one, as `Type.field`. */
function fieldsWithoutRule(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
    for (const field of Object.values(root.getFields())) if (!accessRuleOf(field)) missing.push(`${root.name}.${field.name}`);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Query' || type.name === 'Mutation') continue;
    for (const field of Object.values(type.getFields())) {
      const path = `${type.name}.${field.name}`;
      if ((PERSONAL_FIELDS.includes(path) || PERSONAL_NAME.test(field.name)) && !accessRuleOf(field)) missing.push(path);
    }
  }
  return missing;
}

describe('access rules: every operation and every personal field declares who may use it', () => {
  let api: ApiSchema;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    api = await loadApiSchema();
    schema = api.schema;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('finds no query, mutation or personal-data field without an @Access rule', () => {
    expect(fieldsWithoutRule(schema)).toEqual([]);
  });

  it('knows every field of the personal-data list (a renamed field must be renamed here too)', () => {
    const unknown = PERSONAL_FIELDS.filter((path) => {
      const [type, field] = path.split('.');
      const found = schema.getType(type);
      return !isObjectType(found) || !found.getFields()[field];
    });
    expect(unknown).toEqual([]);
  });

  it('hides personal fields only where an empty answer is possible (nullable or a list)', () => {
    const wrong: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const rule = accessRuleOf(field);
        if (rule?.otherwise !== 'hide') continue;
        const nullableOrList = !String(field.type).endsWith('!') || String(field.type).startsWith('[');
        if (!nullableOrList) wrong.push(`${type.name}.${field.name}: ${String(field.type)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
