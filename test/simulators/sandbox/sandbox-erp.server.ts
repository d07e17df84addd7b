import {
  type ControlRequest,
  ErpSimulatorServer,
  type SimResponse,
  type SimulatorConfig,
  SimulatorConfigError,
} from 'test/simulators/common/erp-simulator';
import type {
  SandboxErpConfigPatch,
  SandboxErpPublicConfig,
  SandboxErpServerOptions,
  SandboxErpSnapshot,
  SandboxErpState,
  SandboxLedgerEntry,
  SandboxResetOptions,
  SandboxStoredRecordView,
} from 'test/simulators/sandbox/sandbox-erp.types';
import { SandboxRecordApi } from 'test/simulators/sandbox/sandbox-record-api';
import { isObject } from 'test/simulators/sandbox/sandbox-record-validation';

export type {
  SandboxErpConfig,
  SandboxErpConfigPatch,
  SandboxErpCounters,
  SandboxErpPublicConfig,
  SandboxErpServerOptions,
  SandboxErpSnapshot,
  SandboxErpState,
  SandboxErpStats,
  SandboxLedgerEntry,
  SandboxMaintenanceMode,
  SandboxRecordType,
  SandboxResetOptions,
  SandboxStoredRecordView,
} from 'test/simulators/sandbox/sandbox-erp.types';

const RESET_KEYS = ['resetConfig', 'resetCatalog', 'config'];

/**
 * @description **A simulation, not an ERP.** The built-in sandbox ERP is an in-memory HTTP server that imitates
 * the parts of Oracle NetSuite's REST record API (v1) that this product uses, including how NetSuite behaves under
 * load: upsert by external id (`PUT …/customer|salesOrder/eid:{id}` → 204 + `Location`), NetSuite's RFC 7807-style
 * error bodies, an account-wide concurrency limit answered with 429 + `Retry-After`, and injectable faults
 * (maintenance 503, refused or hung connections, 500s, and commits whose answer is dropped). It keeps a ledger of
 * every committed write so that tests can check "nothing lost, nothing duplicated, latest state wins" exactly.
 * It stores nothing on disk, performs no accounting, and must never be mistaken for a real ERP.
 *
 * It runs on the simulator core that the vendor simulators share (test/simulators/common): the core supplies the
 * HTTP server, limits, latency, faults, ledger and item catalogue; {@link SandboxRecordApi} the record API. Its
 * control API keeps the sandbox's own shapes (no auth): `GET /_control/state`, `GET /_control/orders`,
 * `GET /_control/customers`, `GET /_control/ledger[?afterSeq=n]`, `POST /_control/config`, `POST /_control/reset`,
 * `POST /_control/items`, `POST /_control/orders/delete`, `POST /_control/orders/copy` and `POST /_control/orders/ship`
 * (`{"externalIds": […]}`: delete sales orders, enter a second one without external id, or ship them, as a user or
 * the ERP's warehouse would), plus the core's `GET|POST /_control/catalog`.
 *
 * @example
 * const sandbox = new SandboxErpServer({ concurrencyLimit: 5, latencyMs: 100 });
 * const port = await sandbox.listen();
 * // … point SandboxErpConnector at `http://127.0.0.1:${port}` …
 * expect(sandbox.snapshot().ledger).toHaveLength(1);
 * await sandbox.close();
 */
export class SandboxErpServer {
  private readonly api: SandboxRecordApi;
  private readonly core: ErpSimulatorServer;
  private readonly initialConfig: SimulatorConfig;
  private readonly initialAuthToken: string | undefined;

  constructor(options: SandboxErpServerOptions = {}) {
    const { authToken, random, ...config } = options;
    this.api = new SandboxRecordApi(authToken);
    this.core = new ErpSimulatorServer(this.api, withoutUndefined(config), random);
    this.initialConfig = this.core.state().config;
    this.initialAuthToken = authToken;
    this.core.handleControlWith((route, request) => this.control(route, request));
  }

  /** Starts listening; resolves with the bound port (pass 0 for an ephemeral one). */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return this.core.listen(port, host);
  }

  /** Stops listening and destroys every open connection, hung or idle, so that test processes can exit. */
  close(): Promise<void> {
    return this.core.close();
  }

  /** Changes the configuration; throws on an invalid value. Leaving `hang` answers every hung request with 503. */
  configure(patch: SandboxErpConfigPatch): SandboxErpPublicConfig {
    const { authToken, ...settings } = patch;
    if (authToken !== undefined && authToken !== null && (typeof authToken !== 'string' || authToken === '')) {
      throw new SimulatorConfigError('authToken must be a non-empty string or null');
    }
    const config = this.core.configure(settings);
    if (authToken !== undefined) {
      this.api.setAuthToken(authToken ?? undefined);
    }
    return { ...config, authRequired: this.api.authRequired };
  }

  /** Clears records, ledger and stats (in-flight requests keep running); config and catalog stay unless asked. */
  reset(options: SandboxResetOptions = {}): SandboxErpState {
    // Config first, so that an invalid patch fails before any data is cleared.
    if (options.resetConfig === true) {
      this.configure({ ...this.initialConfig, authToken: this.initialAuthToken ?? null });
    }
    if (options.config !== undefined) {
      this.configure(options.config);
    }
    this.core.reset(undefined, { keepCatalog: options.resetCatalog !== true });
    return this.state();
  }

  /** Adds SKUs to the item catalog; returns the catalog size. */
  addItems(skus: readonly string[]): number {
    this.core.catalog.apply({ items: skus.map((sku) => ({ sku })) });
    return this.core.catalog.itemCount();
  }

  /** Deletes the sales orders with these external ids, as a user would in the ERP; returns how many existed. */
  deleteSalesOrders(externalIds: readonly string[]): number {
    return this.api.deleteSalesOrders(externalIds);
  }

  /** Enters a second sales order (no external id, same body) for each of these orders; see SandboxRecordApi. */
  copySalesOrders(externalIds: readonly string[]): number {
    return this.api.copySalesOrders(externalIds);
  }

  /** The copies entered by {@link copySalesOrders}, as the control API lists records. */
  copies(): SandboxStoredRecordView[] {
    return structuredClone(this.api.listCopies());
  }

  /** Changes a sales order's total in place, as a user editing it in the ERP would. */
  setSalesOrderTotal(externalId: string, total: number): void {
    this.api.setSalesOrderTotal(externalId, total);
  }

  /** Config, stats and record counts, as `GET /_control/state` answers them. */
  state(): SandboxErpState {
    const core = this.core.state();
    const c = core.stats.counters;
    const own = this.api.outcomeCounters();
    return {
      config: { ...core.config, authRequired: this.api.authRequired },
      stats: {
        counters: {
          ok: c.ok,
          created: own.created,
          updated: own.updated,
          throttled429: c.throttled,
          unavailable503: c.unavailable,
          refused: c.refused,
          hung: c.hung,
          dropped: c.dropped,
          error500: c.error500,
          badRequest400: own.badRequest400,
          unauthorized401: c.unauthorized,
          notFound404: own.notFound404,
          // The core counts every 4xx the record API answered, and its own 413s, as client errors.
          otherClientError: c.clientError - own.badRequest400 - own.notFound404,
          clientGone: c.clientGone,
        },
        peakConcurrency: core.stats.peakConcurrency,
        inFlight: core.stats.inFlight,
        perSecond: core.stats.perSecond,
        requests: core.stats.requests,
        retryAfter: core.stats.retryAfter,
      },
      counts: core.counts,
      catalogSize: this.core.catalog.itemCount(),
    };
  }

  /** A deep copy of everything held, for assertions in tests that run the server in-process. */
  snapshot(): SandboxErpSnapshot {
    return structuredClone({
      ...this.state(),
      customers: this.api.listRecords('customer'),
      salesOrders: this.api.listRecords('salesOrder'),
      deposits: this.api.listRecords('deposit'),
      ledger: this.core.ledgerEntries() as SandboxLedgerEntry[],
    });
  }

  /** The sandbox's own control routes; the ledger and catalog routes are the core's. */
  private async control(route: string, request: ControlRequest): Promise<SimResponse | undefined> {
    switch (route) {
      case 'GET /_control/state':
        return ok(this.state());
      case 'GET /_control/orders':
        return ok(this.api.listRecords('salesOrder'));
      case 'GET /_control/customers':
        return ok(this.api.listRecords('customer'));
      case 'POST /_control/config':
        return ok(this.configure(await request.json()));
      case 'POST /_control/reset':
        return ok(this.reset(resetOptions(await request.json())));
      case 'POST /_control/orders/delete':
        return ok({ deleted: this.api.deleteSalesOrders(externalIdsOf(await request.json())) });
      case 'POST /_control/orders/copy':
        return ok({ copied: this.api.copySalesOrders(externalIdsOf(await request.json())) });
      case 'POST /_control/orders/ship':
        return ok({ shipped: this.api.shipSalesOrders(externalIdsOf(await request.json())) });
      case 'POST /_control/items': {
        const skus = (await request.json()).skus;
        if (!Array.isArray(skus) || !skus.every((sku): sku is string => typeof sku === 'string' && sku !== '')) {
          throw new SimulatorConfigError('body must be {"skus": ["SKU-…", …]} with non-empty strings');
        }
        return ok({ added: skus.length, catalogSize: this.addItems(skus) });
      }
      default:
        return undefined;
    }
  }
}

function externalIdsOf(body: Record<string, unknown>): string[] {
  const ids = body.externalIds;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw new SimulatorConfigError('body must be {"externalIds": ["…", …]} with non-empty strings');
  }
  return ids;
}

function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

function resetOptions(body: Record<string, unknown>): SandboxResetOptions {
  const unknown = Object.keys(body).filter((key) => !RESET_KEYS.includes(key));
  if (unknown.length > 0 || (body.config !== undefined && !isObject(body.config))) {
    throw new SimulatorConfigError('body must be {"resetConfig"?: boolean, "resetCatalog"?: boolean, "config"?: {…}}');
  }
  return body;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
