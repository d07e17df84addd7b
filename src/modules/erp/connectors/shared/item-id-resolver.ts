import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import { isStaleCustomerReference, staleCustomerReference, type ErpError } from 'src/modules/erp/port/erp-error';

/** @description What one vendor adds to the resolution of SKUs to its item ids. */
export interface ItemIdLookup {
  /**
   * The ERP ids of SKUs the cross-reference does not hold, looked up in the ERP; a SKU no item has is left out. A
   * vendor that looks SKUs up one call at a time may stop at the first it cannot find: the write fails anyway, and
   * each call spends the ERP's rate limit.
   */
  find(skus: string[]): Promise<Map<string, string>>;
  /** The Permanent error for SKUs no ERP item has (in the order the write names them). */
  unknownSkus(skus: string[]): ErpError;
  /** Whether a failed write refused an item id, which a stale cross-reference entry would explain. */
  isRefusedItem(error: unknown): error is ErpError;
  /**
   * Whether a failed write refused the customer it names (merged or deleted in the ERP since its id was cached).
   * Such a refusal is thrown as the Permanent `CUSTOMER_NOT_FOUND` error, which the order writer heals by resolving
   * the customer again (withFreshCustomer); no item id is forgotten for it. Checked before `isRefusedItem`.
   */
  isRefusedCustomer(error: unknown): error is ErpError;
  /**
   * The error for a refused item id that no stale entry explains (none came from the cross-reference, or the ids
   * just looked up were refused too). Default: the ERP's error as it is.
   */
  refused?(skus: string[], error: ErpError): ErpError;
}

/**
 * @description SKU → ERP item id for writes, the same for every vendor: ids come from the cross-reference first and
 * are looked up in the ERP (and remembered) otherwise. An id the ERP refuses may be stale (the item was deleted or
 * re-created): when some ids came from the cross-reference, those are forgotten and the write runs once more with
 * fresh lookups. A refused customer is not an item's doing: it is thrown at once as `CUSTOMER_NOT_FOUND`.
 */
export class ItemIdResolver {
  constructor(
    private readonly xref: ErpItemXref,
    private readonly lookup: ItemIdLookup,
  ) {}

  /** Runs `write` with the ERP id of every SKU; throws the vendor's unknown-SKU error when one has no item. */
  async withItemIds<T>(
    skus: readonly string[],
    write: (itemIds: ReadonlyMap<string, string>) => Promise<T>,
  ): Promise<T> {
    const first = await this.resolve(skus, true);
    try {
      return await write(first.ids);
    } catch (error) {
      if (!this.lookup.isRefusedItem(error) || this.isCustomerRefusal(error)) {
        throw this.customerRefusal(error);
      }
      if (first.fromCache.length === 0) {
        throw this.refused(skus, error);
      }
      await Promise.all(first.fromCache.map((sku) => this.xref.forget(sku)));
    }
    const second = await this.resolve(skus, false);
    try {
      return await write(second.ids);
    } catch (error) {
      if (!this.lookup.isRefusedItem(error) || this.isCustomerRefusal(error)) {
        throw this.customerRefusal(error);
      }
      throw this.refused(skus, error);
    }
  }

  private isCustomerRefusal(error: unknown): boolean {
    return isStaleCustomerReference(error) || this.lookup.isRefusedCustomer(error);
  }

  /** A refusal of the customer as the normalised `CUSTOMER_NOT_FOUND` error; anything else as it is. */
  private customerRefusal(error: unknown): unknown {
    return !isStaleCustomerReference(error) && this.lookup.isRefusedCustomer(error)
      ? staleCustomerReference(error)
      : error;
  }

  private async resolve(
    skus: readonly string[],
    useCache: boolean,
  ): Promise<{ ids: Map<string, string>; fromCache: string[] }> {
    const unique = [...new Set(skus)];
    const ids = new Map<string, string>();
    const fromCache: string[] = [];
    if (useCache) {
      for (const sku of unique) {
        const cached = await this.xref.find(sku);
        if (cached !== undefined) {
          ids.set(sku, cached);
          fromCache.push(sku);
        }
      }
    }
    const missing = unique.filter((sku) => !ids.has(sku));
    if (missing.length > 0) {
      const found = await this.lookup.find(missing);
      for (const sku of missing) {
        const id = found.get(sku);
        if (id !== undefined) {
          ids.set(sku, id);
          await this.xref.remember(sku, id);
        }
      }
    }
    const unknown = unique.filter((sku) => !ids.has(sku));
    if (unknown.length > 0) {
      throw this.lookup.unknownSkus(unknown);
    }
    return { ids, fromCache };
  }

  private refused(skus: readonly string[], error: ErpError): ErpError {
    return this.lookup.refused === undefined ? error : this.lookup.refused([...skus], error);
  }
}
