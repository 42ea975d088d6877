import { RequestLog } from './request-log.js';

describe('RequestLog', () => {
  it('records arrival and completion on its clock and the peak of requests in flight per client', () => {
    let now = 1_000;
    const log = new RequestLog(() => now);
    expect(log.begin('a')).toBe(1);
    expect(log.begin('a')).toBe(2);
    expect(log.begin('b')).toBe(1);
    now = 1_050;
    log.end({ at: 1_000, method: 'GET', url: '/x', client: 'a', status: 200, inFlight: 1 });
    expect(log.begin('a')).toBe(2);
    const snapshot = log.snapshot();
    expect(snapshot.maxInFlight).toEqual({ a: 2, b: 1 });
    expect(snapshot.requests).toEqual([{ at: 1_000, finishedAt: 1_050, method: 'GET', url: '/x', client: 'a', status: 200, inFlight: 1 }]);
    log.reset();
    expect(log.snapshot()).toEqual({ requests: [], maxInFlight: {} });
  });

  it('keeps only the newest entries beyond its capacity', () => {
    const log = new RequestLog(Date.now, 2);
    for (const status of [200, 304, 403]) {
      log.begin('a');
      log.end({ at: 0, method: 'GET', url: '/', client: 'a', status, inFlight: 1 });
    }
    expect(log.snapshot().requests.map((entry) => entry.status)).toEqual([304, 403]);
  });
});
