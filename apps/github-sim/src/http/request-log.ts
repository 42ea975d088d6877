/** One request as the sim saw it (admin `/_sim/*` routes are not logged). */
export interface LoggedRequest {
  /** Arrival, epoch ms on the sim's clock. */
  at: number;
  /** Response sent, epoch ms on the sim's clock. */
  finishedAt: number;
  method: string;
  /** Path and query string. */
  url: string;
  /** The token, or `anonymous`. */
  client: string;
  status: number;
  /** Requests of this client in flight when this one arrived, itself included. */
  inFlight: number;
}

/** What `GET /_sim/requests` returns. */
export interface RequestLogSnapshot {
  requests: LoggedRequest[];
  /** Highest number of requests of each client in flight at once. */
  maxInFlight: Record<string, number>;
}

/**
 * Arrival and completion times of every request and the requests in flight per client, so tests can
 * check what reached the server and when (e.g. that nothing on a paused token arrived during its pause)
 * without timing the test itself. Keeps the last `capacity` requests.
 */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private readonly inFlight = new Map<string, number>();
  private peak: Record<string, number> = {};

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = 100_000,
  ) {}

  /** Counts a request of `client` in flight; returns how many are in flight now, itself included. */
  begin(client: string): number {
    const count = (this.inFlight.get(client) ?? 0) + 1;
    this.inFlight.set(client, count);
    this.peak[client] = Math.max(this.peak[client] ?? 0, count);
    return count;
  }

  /** Ends a request begun with {@link begin} and logs it. */
  end(entry: Omit<LoggedRequest, 'finishedAt'>): void {
    this.inFlight.set(entry.client, Math.max(0, (this.inFlight.get(entry.client) ?? 1) - 1));
    this.entries.push({ ...entry, finishedAt: this.now() });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  snapshot(): RequestLogSnapshot {
    return { requests: this.entries.map((entry) => ({ ...entry })), maxInFlight: { ...this.peak } };
  }

  /** Forgets the log and the peaks (requests in flight stay counted). */
  reset(): void {
    this.entries = [];
    this.peak = {};
  }
}
