/** Counters of one client (a token, or `anonymous`). */
export interface ClientStats {
  requests: number;
  byStatus: Record<string, number>;
}

/** What `GET /_sim/stats` returns. */
export interface SimStatsSnapshot {
  requests: number;
  byStatus: Record<string, number>;
  notModified: number;
  rateLimited: number;
  faultsInjected: number;
  byToken: Record<string, ClientStats>;
}

/** Request counters for benchmarks and tests (admin `/_sim/*` routes are not counted). */
export class SimStats {
  private data: SimStatsSnapshot = SimStats.empty();

  private static empty(): SimStatsSnapshot {
    return { requests: 0, byStatus: {}, notModified: 0, rateLimited: 0, faultsInjected: 0, byToken: {} };
  }

  /** Counts one served response; `client` is the token or `anonymous`. */
  record(client: string, status: number, flags: { rateLimited?: boolean; fault?: boolean } = {}): void {
    const key = String(status);
    this.data.requests++;
    this.data.byStatus[key] = (this.data.byStatus[key] ?? 0) + 1;
    if (status === 304) this.data.notModified++;
    if (flags.rateLimited) this.data.rateLimited++;
    if (flags.fault) this.data.faultsInjected++;
    const perClient = (this.data.byToken[client] ??= { requests: 0, byStatus: {} });
    perClient.requests++;
    perClient.byStatus[key] = (perClient.byStatus[key] ?? 0) + 1;
  }

  snapshot(): SimStatsSnapshot {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = SimStats.empty();
  }
}
