import type { DataSource } from 'typeorm';
import { identityState, useTestDatabases } from '../../../test/helpers/identity-state.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import { IdentityService } from './identity.service.js';
import type { ActorRef } from './identity.types.js';

/** A GitHub account as a pull request's author or a stargazer (REST user objects carry no name). */
const asActor: ActorRef = { kind: 'github', account: { id: 7401, login: 'order-dev', type: 'User', name: null } };
/** The same account as the author the API linked to a commit, under its git name and address. */
const asCommitAuthor: ActorRef = { kind: 'commit-author', account: { id: 7401, login: 'order-dev', type: 'User' }, name: 'Order Developer', email: 'order@dev.example' };

/**
 * A GitHub account seen first-hand both as an actor and as a commit's API-linked author: the same identities, evidence and names whichever the sync, a webhook or an import brings first (a worker
 * killed mid-sync resumes in another order: test/resilience/worker-kill-sync.e2e-spec.ts compares).
 */
describe("a GitHub account's identity: order-independent (Postgres)", () => {
  const dbs = useTestDatabases(4);

  it('stores the same rows in either order, serial or bulk, one at a time or in one batch: the stronger evidence seen (api)', async () => {
    const serial = async (db: DataSource, actors: ActorRef[]) => {
      for (const actor of actors) await new IdentityService(db).resolve(actor);
    };
    const oneByOne = async (db: DataSource, actors: ActorRef[]) => {
      for (const actor of actors) await new BulkIdentityResolver(db).resolveMany([actor]);
    };
    const oneBatch = async (db: DataSource, actors: ActorRef[]) => {
      await new BulkIdentityResolver(db).resolveMany(actors);
    };
    const runs = [
      { resolve: serial, order: [asActor, asCommitAuthor] },
      { resolve: serial, order: [asCommitAuthor, asActor] },
      { resolve: oneByOne, order: [asActor, asCommitAuthor] },
      { resolve: oneBatch, order: [asActor, asCommitAuthor] },
    ];
    const states = [];
    for (const [index, { resolve, order }] of runs.entries()) {
      await resolve(dbs[index], order);
      states.push(await identityState(dbs[index]));
    }
    expect(states[0]).toEqual([
      { identity: 'email:order@dev.example', evidence: 'api', display_name: 'Order Developer', member: 'email:order@dev.example', kind: 'person', login: 'order-dev', member_name: 'order-dev' },
      { identity: 'github:7401', evidence: 'api', display_name: 'order-dev', member: 'email:order@dev.example', kind: 'person', login: 'order-dev', member_name: 'order-dev' },
    ]);
    for (const state of states.slice(1)) expect(state).toEqual(states[0]);
  });
});
