import { deriveProfileCompanies } from '../seed/profile-companies.js';
import { createGithubSim, type GithubSim } from '../server.js';
import { sharedSnapshot } from '../testing/sim-data.js';

describe('GET /users/:username over HTTP', () => {
  let sim: GithubSim;
  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot() });
  });
  afterAll(async () => {
    await sim.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sim.url}${path}`, { headers });
  const post = (path: string, body: unknown) =>
    fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('derives a company for accounts whose person commits from a listed organisation domain, in both forms', () => {
    const companies = [...deriveProfileCompanies(sim.snapshot).values()];
    expect(companies.length).toBeGreaterThan(3);
    expect(companies.some((company) => company.startsWith('@'))).toBe(true);
    expect(companies.some((company) => !company.startsWith('@'))).toBe(true);
  });

  it('serves the profile with its company, answers 304 to its ETag, 404 to unknown logins', async () => {
    const [id, company] = [...deriveProfileCompanies(sim.snapshot)][0];
    const account = sim.snapshot.accounts.all().find((a) => a.id === id)!;
    const first = await get(`/users/${account.login.toUpperCase()}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id, login: account.login, type: 'User', company });
    const etag = first.headers.get('etag')!;
    expect((await get(`/users/${account.login}`, { 'if-none-match': etag })).status).toBe(304);
    const missing = await get('/users/no-such-account-anywhere');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'Not Found' });
  });

  it('gives null for accounts with no organisation domain', async () => {
    const companies = deriveProfileCompanies(sim.snapshot);
    const plain = sim.snapshot.accounts.all().find((a) => a.type === 'User' && !companies.has(a.id))!;
    expect(await (await get(`/users/${plain.login}`)).json()).toMatchObject({ login: plain.login, company: null });
  });

  it('follows admin changes: a new company changes the ETag, a deleted account answers 404', async () => {
    const account = sim.snapshot.accounts.all().find((a) => a.type === 'User' && a.login !== 'web-flow')!;
    const before = await get(`/users/${account.login}`);
    const etag = before.headers.get('etag')!;
    expect((await post(`/_sim/users/${account.login}/profile`, { company: '@initech' })).status).toBe(200);
    const after = await get(`/users/${account.login}`, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ company: '@initech' });
    await post(`/_sim/users/${account.login}/profile`, { deleted: true });
    expect((await get(`/users/${account.login}`)).status).toBe(404);
    await post(`/_sim/users/${account.login}/profile`, { deleted: false, company: null });
    expect(await (await get(`/users/${account.login}`)).json()).toMatchObject({ company: null });
  });
});
