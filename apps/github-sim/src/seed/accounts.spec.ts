import { AccountRegistry, WEB_FLOW, buildLoginIdMap, loginFromName } from './accounts.js';
import { isGeneratedId } from './ids.js';

describe('buildLoginIdMap', () => {
  it('maps lower-cased logins to the id and spelling of ID+login noreply addresses only', () => {
    const map = buildLoginIdMap([
      '33809201+BlinkDL@users.noreply.github.com',
      'SmerkyG@users.noreply.github.com',
      'noreply@github.com',
      'abc@gmail.com',
      '49699333+dependabot[bot]@users.noreply.github.com',
    ]);
    expect([...map.entries()]).toEqual([
      ['blinkdl', { id: 33809201, login: 'BlinkDL' }],
      ['dependabot[bot]', { id: 49699333, login: 'dependabot[bot]' }],
    ]);
  });

  it('keeps the first id seen when a login appears with two ids', () => {
    const map = buildLoginIdMap(['2+octo@users.noreply.github.com', '1+Octo@users.noreply.github.com']);
    expect(map.get('octo')).toEqual({ id: 2, login: 'octo' });
  });
});

describe('loginFromName', () => {
  it.each([
    ['PENG Bo', 'PENG-Bo'],
    ['José M.', 'Jose-M'],
    ['harrison', 'harrison'],
    ['  --weird__name--  ', 'weird-name'],
    ['张三', 'git-author'],
    ['a'.repeat(50), 'a'.repeat(39)],
  ])('derives %p → %p', (name, login) => {
    expect(loginFromName(name)).toBe(login);
  });
});

describe('AccountRegistry', () => {
  const registry = () => new AccountRegistry(buildLoginIdMap(['33809201+BlinkDL@users.noreply.github.com', '49699333+dependabot[bot]@users.noreply.github.com']));

  it('links a login-only noreply address to the id the same login has elsewhere in the data', () => {
    const account = registry().forGitIdentity({ name: 'Bo', email: 'blinkdl@users.noreply.github.com' });
    expect(account).toMatchObject({ id: 33809201, login: 'BlinkDL', type: 'User', generated: false });
  });

  it('gives a login-only address with no id in the data a deterministic generated id', () => {
    const a = registry().forGitIdentity({ name: 'S', email: 'SmerkyG@users.noreply.github.com' });
    const b = registry().forGitIdentity({ name: 'S', email: 'SmerkyG@users.noreply.github.com' });
    expect(a).toMatchObject({ login: 'SmerkyG', source: 'generated-id', generated: true });
    expect(a!.id).toBe(b!.id);
    expect(isGeneratedId(a!.id)).toBe(true);
  });

  it('types [bot] logins as Bot, and knows github-actions[bot] by its public id', () => {
    const r = registry();
    expect(r.find('dependabot[bot]')).toMatchObject({ id: 49699333, type: 'Bot' });
    expect(r.forGitIdentity({ name: 'github-actions[bot]', email: 'github-actions[bot]@users.noreply.github.com' })).toMatchObject({
      id: 41898282,
      type: 'Bot',
      generated: false,
    });
  });

  it('links noreply@github.com to web-flow and other e-mails to nothing', () => {
    const r = registry();
    expect(r.forGitIdentity({ name: 'GitHub', email: 'noreply@github.com' })).toBe(WEB_FLOW);
    expect(r.forGitIdentity({ name: 'PENG Bo', email: '0123@gmail.com' })).toBeNull();
  });

  it('invents one account per unlinked e-mail and never reuses a real login for it', () => {
    const r = registry();
    const a = r.forGitIdentityOrGenerated({ name: 'BlinkDL', email: 'x@example.com' });
    const again = r.forGitIdentityOrGenerated({ name: 'Someone else', email: 'X@example.com' });
    const other = r.forGitIdentityOrGenerated({ name: 'BlinkDL', email: 'y@example.com' });
    expect(a).toMatchObject({ login: 'BlinkDL-2', source: 'generated', generated: true });
    expect(again).toBe(a);
    expect(other.login).toBe('BlinkDL-3');
    expect(other.id).not.toBe(a.id);
  });

  it('sets an owner type on a known login', () => {
    const r = registry();
    expect(r.forLogin('RWKV', 'Organization')).toMatchObject({ login: 'RWKV', type: 'Organization', generated: true });
    expect(r.forLogin('blinkdl', 'User')).toMatchObject({ id: 33809201, login: 'BlinkDL' });
  });
});
