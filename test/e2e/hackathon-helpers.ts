import type { GraphqlClient } from './graphql-client.js';

/** GraphQL operations of the hackathon core, shared by the hackathon e2e tests. */
export const HACKATHON_OPS = {
  create: `mutation($eco: String!, $slug: String!, $startsAt: DateTime, $endsAt: DateTime, $min: Int, $max: Int, $repos: [String!]) {
    createHackathon(ecosystem: $eco, slug: $slug, name: $slug, startsAt: $startsAt, endsAt: $endsAt, minTeamSize: $min, maxTeamSize: $max,
      repositories: $repos) { id slug status } }`,
  status: `mutation($id: ID!, $status: HackathonStatus!) { changeHackathonStatus(id: $id, status: $status) { status } }`,
  register: `mutation($id: ID!, $member: String!, $skills: [String!], $interests: [String!], $needs: [String!], $consent: Boolean) {
    registerForHackathon(hackathonId: $id, member: $member, skills: $skills, interests: $interests, needs: $needs, emailConsent: $consent) {
      id skills interests needs emailConsent withdrawnAt member { id login } } }`,
  withdraw: `mutation($id: ID!, $member: String!) { withdrawFromHackathon(hackathonId: $id, member: $member) { withdrawnAt } }`,
  createTeam: `mutation($id: ID!, $member: String!, $name: String!) { createTeam(hackathonId: $id, member: $member, name: $name) {
    id name inviteCode captain { login } members { isCaptain member { login } } } }`,
  join: `mutation($code: String!, $member: String!) { joinTeam(inviteCode: $code, member: $member) { id members { member { login } } } }`,
  leave: `mutation($team: ID!, $member: String!) { leaveTeam(teamId: $team, member: $member) { teamDeleted team { captain { login } members { member { login } } } } }`,
  transfer: `mutation($team: ID!, $member: String!, $acting: String) { transferTeamCaptain(teamId: $team, member: $member, actingMember: $acting) { captain { login } } }`,
  save: `mutation($team: ID!, $title: String, $description: String, $repo: String, $links: [String!], $prs: [String!], $acting: String) {
    saveSubmission(teamId: $team, title: $title, description: $description, repositoryUrl: $repo, links: $links, pullRequests: $prs, actingMember: $acting) {
      id title description repositoryUrl links repository { fullName } pullRequests { repositoryFullName number url } } }`,
} as const;

/** Creates a hackathon through GraphQL and moves it forward to `status` one step at a time; returns its id. */
export async function createHackathonAt(
  client: GraphqlClient,
  token: string,
  fields: { eco: string; slug: string; min?: number; max?: number; repos?: string[] },
  status: 'DRAFT' | 'REGISTRATION_OPEN' | 'RUNNING' | 'JUDGING' | 'FINISHED',
): Promise<string> {
  const { createHackathon } = await client.data(
    HACKATHON_OPS.create,
    { startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-03T00:00:00Z', ...fields },
    { token },
  );
  const order = ['DRAFT', 'REGISTRATION_OPEN', 'RUNNING', 'JUDGING', 'FINISHED'];
  for (const next of order.slice(1, order.indexOf(status) + 1)) {
    await client.data(HACKATHON_OPS.status, { id: createHackathon.id, status: next }, { token });
  }
  return createHackathon.id;
}
