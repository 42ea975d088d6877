import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from '#libs/config';
import { secretBoxFromConfig } from './secret-box.js';
import { secretKeyId } from './secret-keyring.js';

/** docker-compose.yml at the repository root: Cambrian's production shape (README "Run with Docker"). */
const compose = parse(readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; command?: string[] }>;
};

/**
 * Compose's interpolation of one value: `${NAME}`, `${NAME:-default}` and `${NAME:?message}` (an
 * unset or empty NAME stops compose with the message), from `env` (the operator's shell or .env).
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (_match, name: string, operator?: string, argument?: string) => {
    const set = env[name];
    if (set) return set;
    if (operator === ':?') throw new Error(`compose refuses to start: ${argument}`);
    return operator === ':-' ? (argument ?? '') : '';
  });
}

const environmentOf = (service: string, env: Record<string, string>) =>
  Object.fromEntries(Object.entries(compose.services[service].environment ?? {}).map(([name, value]) => [name, interpolate(String(value), env)]));

describe('docker-compose.yml', () => {
  const secretsKey = randomBytes(32).toString('base64');
  const operatorEnv = { GITHUB_WEBHOOK_SECRETS: 'hook-secret', DIGEST_TOKEN_SECRETS: 'digest-secret', CAMBRIAN_SECRETS_KEY: secretsKey };

  it.each(['migrate', 'api', 'worker'])('gives %s the operator\'s CAMBRIAN_SECRETS_KEY, which seals the erasure hash key in production', (service) => {
    const config = loadConfig(environmentOf(service, operatorEnv));
    expect(config.NODE_ENV).toBe('production');
    // migration 1764900000160 seals the erasure key under the current key: KEY_MISSING without one
    expect(secretBoxFromConfig(config).requireCurrentKeyId()).toBe(secretKeyId(Buffer.from(secretsKey, 'base64')));
  });

  it('refuses to start without CAMBRIAN_SECRETS_KEY, naming it, and passes old keys on for a rotation', () => {
    const { CAMBRIAN_SECRETS_KEY: _unset, ...withoutKey } = operatorEnv;
    expect(() => environmentOf('migrate', withoutKey)).toThrow(/CAMBRIAN_SECRETS_KEY/);
    const oldKey = randomBytes(32).toString('base64');
    expect(loadConfig(environmentOf('worker', { ...operatorEnv, CAMBRIAN_SECRETS_OLD_KEYS: oldKey })).CAMBRIAN_SECRETS_OLD_KEYS).toEqual([oldKey]);
  });

  it('lets scripts/ensure-services.sh start postgres or redis alone: it gives every variable compose requires (`:?`) a value', () => {
    // compose interpolates the whole file whichever services it starts, so one required variable
    // left unset stops `docker compose up -d postgres` for `npm test` and `npm run demo`
    const text = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');
    const required = [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]))].sort();
    const script = readFileSync(new URL('../../../scripts/ensure-services.sh', import.meta.url), 'utf8');
    const composeUp = /compose_up\(\) \{[\s\S]*?\n\}/.exec(script)?.[0] ?? '';
    const given = [...composeUp.matchAll(/"([A-Z0-9_]+)=/g)].map((match) => match[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
  });
});
