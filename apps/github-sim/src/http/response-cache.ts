/** A serialised 200 response: body bytes, its ETag and extra headers (Link). */
export interface PreparedResponse {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
}

/**
 * Serialised responses by request URL, least recently used evicted past a byte budget. The snapshot never changes
 * while the server runs, so a URL always yields the same bytes; caching skips JSON.stringify and hashing, which
 * dominate the cost of 100-item pages (up to ~1 MB each).
 */
export class ResponseCache {
  private readonly entries = new Map<string, PreparedResponse>();
  private bytes = 0;

  constructor(private readonly maxBytes: number = 128 * 1024 * 1024) {}

  /** The cached response for `key`, or the one `produce` makes (stored when it fits the budget). */
  getOrCreate(key: string, produce: () => PreparedResponse): PreparedResponse {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = produce();
    if (value.body.length <= this.maxBytes) {
      this.entries.set(key, value);
      this.bytes += value.body.length;
      for (const [oldKey, old] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(oldKey);
        this.bytes -= old.body.length;
      }
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
