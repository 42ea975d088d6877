import { EcosystemException, EcosystemExceptionCode } from './ecosystem.exception.js';
import { parseTrackedSource, trackedSourceFromOptions } from './tracked-source-spec.js';

describe('parseTrackedSource', () => {
  it.each([
    ['organization', 'RWKV', { kind: 'organization', name: 'RWKV' }],
    ['user', ' BlinkDL ', { kind: 'user', name: 'BlinkDL' }],
    ['repository', 'josStorer/RWKV-Runner', { kind: 'repository', name: 'josStorer/RWKV-Runner' }],
    ['repository', 'https://github.com/RWKV/rwkv.cpp.git', { kind: 'repository', name: 'RWKV/rwkv.cpp' }],
    ['repository', 'RWKV/RWKV-infctx-trainer/', { kind: 'repository', name: 'RWKV/RWKV-infctx-trainer' }],
  ])('accepts %s %j', (kind, name, expected) => {
    expect(parseTrackedSource(kind, name)).toEqual(expected);
  });

  it.each([
    ['organization', ''],
    ['organization', '-rwkv'],
    ['user', 'a'.repeat(40)],
    ['user', 'Blink DL'],
    ['repository', 'RWKV'],
    ['repository', 'RWKV/rwkv.cpp/extra'],
    ['repository', 'RWKV/..'],
    ['repository', 'RWKV/a b'],
    ['team', 'RWKV'],
  ])('refuses %s %j with INVALID_SOURCE', (kind, name) => {
    expect(() => parseTrackedSource(kind, name)).toThrow(EcosystemException);
    try {
      parseTrackedSource(kind, name);
    } catch (error) {
      expect((error as EcosystemException).code).toBe(EcosystemExceptionCode.INVALID_SOURCE);
    }
  });
});

describe('trackedSourceFromOptions', () => {
  it('reads the one option given', () => {
    expect(trackedSourceFromOptions({ org: 'RWKV' })).toEqual({ kind: 'organization', name: 'RWKV' });
    expect(trackedSourceFromOptions({ repo: 'josStorer/RWKV-Runner' })).toEqual({
      kind: 'repository',
      name: 'josStorer/RWKV-Runner',
    });
  });

  it.each([[{}], [{ org: 'RWKV', user: 'BlinkDL' }]])('refuses %j', (options) => {
    expect(() => trackedSourceFromOptions(options)).toThrow('exactly one');
  });
});
