import type {
  SandboxErpConfigPatch,
  SandboxErpState,
  SandboxLedgerEntry,
  SandboxStoredRecordView,
} from 'test/simulators/sandbox/sandbox-erp.types';

const REQUEST_TIMEOUT_MS = 10_000;
const BULK_TIMEOUT_MS = 300_000;

/** The sandbox ERP's control API over HTTP (the same view a test has of a sandbox in another process). */
export class SandboxControl {
  constructor(readonly baseUrl: string) {}

  state(): Promise<SandboxErpState> {
    return this.request<SandboxErpState>('GET', '/_control/state');
  }

  /** Every order the sandbox holds: after a soak, 180,000 of them, hence the ledger's longer wait. */
  orders(): Promise<SandboxStoredRecordView[]> {
    return this.request<SandboxStoredRecordView[]>('GET', '/_control/orders', undefined, BULK_TIMEOUT_MS);
  }

  /** Every write the sandbox took: after a soak, hundreds of thousands of entries (tens of MB). */
  ledger(): Promise<SandboxLedgerEntry[]> {
    return this.request<SandboxLedgerEntry[]>('GET', '/_control/ledger', undefined, BULK_TIMEOUT_MS);
  }

  async configure(patch: SandboxErpConfigPatch): Promise<void> {
    await this.request('POST', '/_control/config', patch);
  }

  async reset(): Promise<void> {
    await this.request('POST', '/_control/reset', {});
  }

  private async request<T>(
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      throw new Error(`sandbox ERP ${method} ${route} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }
}
