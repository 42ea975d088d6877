import { FaultInjector, normalizeFaultRule } from './faults.js';

describe('FaultInjector', () => {
  it('applies a rule to the next N matching requests, then drops it', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'server-error', count: 2, pathPrefix: '/repos/BlinkDL' });
    expect(faults.take('/orgs/RWKV/repos')).toBeNull();
    expect(faults.take('/repos/BlinkDL/RWKV-LM/commits')).toMatchObject({ kind: 'server-error', status: 502 });
    expect(faults.take('/repos/BlinkDL/ChatRWKV')).toMatchObject({ kind: 'server-error' });
    expect(faults.take('/repos/BlinkDL/ChatRWKV')).toBeNull();
    expect(faults.list()).toEqual([]);
  });

  it('serves rules in the order they were added', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'delay', delayMs: 5 });
    faults.add({ kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    expect(faults.take('/x')?.kind).toBe('delay');
    expect(faults.take('/x')).toMatchObject({ kind: 'secondary-rate-limit', status: 403, retryAfterSeconds: 1 });
  });
});

describe('normalizeFaultRule', () => {
  it.each([
    [{ kind: 'nope' }, /kind/],
    [{ kind: 'server-error', count: 0 }, /count/],
    [{ kind: 'server-error', status: 404 }, /5xx/],
    [{ kind: 'secondary-rate-limit', status: 500 }, /403 or 429/],
    [{ kind: 'secondary-rate-limit', retryAfterSeconds: -1 }, /retryAfterSeconds/],
    [{ kind: 'delay', delayMs: -5 }, /delayMs/],
    [{ kind: 'client-error', status: 503 }, /4xx/],
    [{ kind: 'foreign-link', foreignOrigin: 'not a url' }, /foreignOrigin/],
  ])('rejects %j', (input, message) => {
    expect(() => normalizeFaultRule(input as never)).toThrow(message);
  });
});

describe('hostile answer rules', () => {
  it('defaults a client error to 401 and a foreign link to http://foreign.invalid', () => {
    expect(normalizeFaultRule({ kind: 'client-error' })).toMatchObject({ status: 401, count: 1 });
    expect(normalizeFaultRule({ kind: 'client-error', status: 404, message: 'Not Found' })).toMatchObject({ status: 404, message: 'Not Found' });
    expect(normalizeFaultRule({ kind: 'foreign-link' })).toMatchObject({ status: 200, foreignOrigin: 'http://foreign.invalid' });
    expect(normalizeFaultRule({ kind: 'malformed-json' })).toMatchObject({ status: 200 });
  });
});
