import { ResponseCache, type PreparedResponse } from './response-cache.js';

const response = (bytes: number): PreparedResponse => ({ body: Buffer.alloc(bytes), etag: `W/"${bytes}"`, headers: {} });

describe('ResponseCache', () => {
  it('produces once per key and serves the stored response afterwards', () => {
    const cache = new ResponseCache(100);
    let produced = 0;
    const make = () => {
      produced++;
      return response(10);
    };
    const first = cache.getOrCreate('/a', make);
    expect(cache.getOrCreate('/a', make)).toBe(first);
    expect(produced).toBe(1);
  });

  it('evicts the least recently used entries past the byte budget', () => {
    const cache = new ResponseCache(25);
    cache.getOrCreate('/a', () => response(10));
    cache.getOrCreate('/b', () => response(10));
    cache.getOrCreate('/a', () => response(99)); // touch /a
    cache.getOrCreate('/c', () => response(10)); // evicts /b
    expect(cache.size).toBe(2);
    expect(cache.getOrCreate('/a', () => response(1)).body.length).toBe(10);
    expect(cache.getOrCreate('/b', () => response(1)).body.length).toBe(1);
  });

  it('does not store a response larger than the whole budget', () => {
    const cache = new ResponseCache(5);
    cache.getOrCreate('/big', () => response(10));
    expect(cache.size).toBe(0);
  });
});
