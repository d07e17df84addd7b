import { SandboxControl } from 'scripts/lib/sandbox-control';
import type { SimulatorLedgerEntry, SimulatorState } from 'test/simulators/common/erp-simulator';
import type {
  SandboxErpState,
  SandboxLedgerEntry,
  SandboxStoredRecordView,
} from 'test/simulators/sandbox/sandbox-erp.types';
import type { SimulatedErpName } from 'test/simulators/vendor-simulators';

/**
 * A vendor simulator's control API (test/simulators/common) seen through the sandbox's shapes, so that the flash
 * sale and its ledger run unchanged on either: counters map to the sandbox's names, and order views carry the
 * simulators' `sourceUpdatedAt` as the sandbox's `custbody_source_updated_at`.
 */
export class SimulatorSandboxControl extends SandboxControl {
  constructor(
    baseUrl: string,
    readonly erp: SimulatedErpName,
  ) {
    super(baseUrl);
  }

  async simulatorState(): Promise<SimulatorState> {
    return this.get<SimulatorState>('/_control/state');
  }

  override async state(): Promise<SandboxErpState> {
    const s = await this.simulatorState();
    const c = s.stats.counters;
    return {
      config: { ...s.config, authRequired: true },
      stats: {
        counters: {
          ok: c.ok,
          created: 0,
          updated: 0,
          throttled429: c.throttled,
          unavailable503: c.unavailable,
          refused: c.refused,
          hung: c.hung,
          dropped: c.dropped,
          error500: c.error500,
          badRequest400: c.clientError,
          unauthorized401: c.unauthorized,
          notFound404: 0,
          otherClientError: 0,
          clientGone: c.clientGone,
        },
        peakConcurrency: s.stats.peakConcurrency,
        inFlight: s.stats.inFlight,
        perSecond: s.stats.perSecond,
        requests: s.stats.requests,
        retryAfter: s.stats.retryAfter,
      },
      counts: s.counts,
      catalogSize: 0,
    };
  }

  override async orders(): Promise<SandboxStoredRecordView[]> {
    const views = await this.get<
      Array<{
        externalId: string;
        internalId: string;
        status: string;
        sourceUpdatedAt: string | null;
        writeCount: number;
      }>
    >('/_control/orders');
    return views.map((v) => ({
      ...v,
      custbody_source_updated_at: v.sourceUpdatedAt,
      createdAt: '',
      updatedAt: '',
    }));
  }

  override async ledger(): Promise<SandboxLedgerEntry[]> {
    const entries = await this.get<SimulatorLedgerEntry[]>('/_control/ledger');
    return entries.map((e) => ({ ...e, type: e.type as SandboxLedgerEntry['type'], payloadHash: '' }));
  }

  private async get<T>(route: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      throw new Error(`${this.erp} simulator GET ${route} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }
}
