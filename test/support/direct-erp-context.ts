import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import type { ErpCustomerXref, ErpCustomerXrefEntry } from 'src/modules/erp/port/erp-customer-xref';

/**
 * A connector context for unit tests of a connector's HTTP handling alone: requests go straight out (no shared
 * limits), locks are process-local and nothing is cross-referenced. The real gate, lock and cross-reference are
 * covered by integration and contract tests (createErpTestContext).
 */
export function directErpContext(requestTimeoutMs = 2_000): ErpConnectorContext {
  const held = new Map<string, Promise<unknown>>();
  const skus = new Map<string, string>();
  return {
    requestTimeoutMs,
    gate: { request: (_operation, send) => send() },
    locks: {
      withLock: async (key, work) => {
        const previous = held.get(key) ?? Promise.resolve();
        // A process-local lock is never lost, and nothing here settles creates in doubt.
        const lease = {
          signal: new AbortController().signal,
          fence: () => Promise.resolve(),
          admitCreate: () => Promise.resolve(),
          assumeNew: () => undefined,
          whileCreating: <T>(send: () => Promise<T>) => send(),
          createInDoubt: () => Promise.resolve(),
        };
        const run = previous.catch(() => undefined).then(() => work(lease));
        held.set(key, run);
        return run;
      },
    },
    items: {
      find: (sku) => Promise.resolve(skus.get(sku)),
      remember: (sku, id) => Promise.resolve(void skus.set(sku, id)),
      forget: (sku) => Promise.resolve(void skus.delete(sku)),
    },
    customers: memoryCustomerXref(),
  };
}

/** The customer cross-reference in this process's memory. */
function memoryCustomerXref(): ErpCustomerXref {
  const entries = new Map<string, ErpCustomerXrefEntry>();
  return {
    find: (key) => Promise.resolve(entries.get(key)),
    remember: (key, erpId) => Promise.resolve(void entries.set(key, { erpId })),
    createSending: (key) => {
      const at = new Date();
      entries.set(key, { ...entries.get(key), createSentAt: at });
      return Promise.resolve(at);
    },
    forget: (key) => Promise.resolve(void entries.delete(key)),
    claimedByOthers: (erpIds, key) =>
      Promise.resolve(
        new Set(erpIds.filter((id) => [...entries].some(([other, entry]) => other !== key && entry.erpId === id))),
      ),
  };
}
