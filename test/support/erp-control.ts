import type { ErpLedgerEntry, ErpOrderRecord } from 'test/support/ledger';

/**
 * @description What a test, the demo or the bench reads from the simulated ERP it runs against, whichever it is:
 * the built-in sandbox ERP or a vendor simulator. Both serve `/_control/{state,orders,ledger,config}`, with
 * different state shapes; this is the vendor-neutral view of them.
 */
export interface ErpControlState {
  /** `sandbox`, `netsuite`, `business-central` or `cin7`. */
  erp: string;
  salesOrders: number;
  customers: number;
  peakConcurrency: number;
  inFlight: number;
  /** Throttle answers the ERP sent (429, or Cin7's 503 limit answer). */
  throttled: number;
  /** Requests refused or answered 503 by a maintenance window. */
  unavailable: number;
  /** Committed writes whose answer was dropped (commit-then-drop). */
  dropped: number;
  /**
   * Retry-After kept? (vendor simulators only: re-sends of a throttled request before its Retry-After, and any
   * request inside a Retry-After window past the grace; see the simulator core's RetryAfterStats).
   */
  earlyRetries?: number;
  earlyRequests?: number;
  maxEarlyMs?: number;
  /** The ERP's own fault settings as it reports them. */
  config: Record<string, unknown>;
}

export interface ErpControl {
  readonly erp: string;
  readonly baseUrl: string;
  state(): Promise<ErpControlState>;
  orders(): Promise<ErpOrderRecord[]>;
  ledger(afterSeq?: number): Promise<ErpLedgerEntry[]>;
  /** Changes fault settings (`concurrencyLimit`, `latencyMs`, `maintenance`, `commitThenDropRate`, …). */
  configure(patch: Record<string, unknown>): Promise<void>;
}

interface SandboxStateBody {
  config: Record<string, unknown>;
  stats: { counters: Record<string, number | undefined>; peakConcurrency: number; inFlight?: number };
  counts: { customers: number; salesOrders: number };
}

interface SimulatorStateBody {
  vendor: string;
  config: Record<string, unknown>;
  stats: {
    counters: Record<string, number | undefined>;
    peakConcurrency: number;
    inFlight: number;
    retryAfter?: { earlyRetries: number; earlyRequests: number; maxEarlyMs: number };
  };
  counts: { customers: number; salesOrders: number };
}

/** The control API of the simulated ERP at `baseUrl`: `sandbox`, or a vendor simulator (netsuite, …). */
export function erpControl(erp: string, baseUrl: string): ErpControl {
  return new HttpErpControl(erp, baseUrl);
}

class HttpErpControl implements ErpControl {
  constructor(
    readonly erp: string,
    readonly baseUrl: string,
  ) {}

  async state(): Promise<ErpControlState> {
    if (this.erp === 'sandbox') {
      const body = await this.request<SandboxStateBody>('GET', '/_control/state');
      const c = body.stats.counters;
      return {
        erp: 'sandbox',
        salesOrders: body.counts.salesOrders,
        customers: body.counts.customers,
        peakConcurrency: body.stats.peakConcurrency,
        inFlight: body.stats.inFlight ?? 0,
        throttled: c.throttled429 ?? 0,
        unavailable: (c.unavailable503 ?? 0) + (c.refused ?? 0),
        dropped: c.dropped ?? 0,
        config: body.config,
      };
    }
    const body = await this.request<SimulatorStateBody>('GET', '/_control/state');
    const c = body.stats.counters;
    return {
      erp: body.vendor,
      salesOrders: body.counts.salesOrders,
      customers: body.counts.customers,
      peakConcurrency: body.stats.peakConcurrency,
      inFlight: body.stats.inFlight,
      throttled: c.throttled ?? 0,
      unavailable: (c.unavailable ?? 0) + (c.refused ?? 0),
      dropped: c.dropped ?? 0,
      earlyRetries: body.stats.retryAfter?.earlyRetries ?? 0,
      earlyRequests: body.stats.retryAfter?.earlyRequests ?? 0,
      maxEarlyMs: body.stats.retryAfter?.maxEarlyMs ?? 0,
      config: body.config,
    };
  }

  orders(): Promise<ErpOrderRecord[]> {
    return this.request<ErpOrderRecord[]>('GET', '/_control/orders');
  }

  ledger(afterSeq = 0): Promise<ErpLedgerEntry[]> {
    return this.request<ErpLedgerEntry[]>(
      'GET',
      afterSeq > 0 ? `/_control/ledger?afterSeq=${afterSeq}` : '/_control/ledger',
    );
  }

  async configure(patch: Record<string, unknown>): Promise<void> {
    await this.request('POST', '/_control/config', patch);
  }

  private async request<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      throw new Error(`${this.erp} ERP ${method} ${route} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }
}
