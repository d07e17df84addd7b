import { BUSINESS_CENTRAL_ITEM_NUMBER_MAX } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { eqFilter, variantErpItemId } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type { BcItem, BcItemVariant } from 'src/modules/erp/connectors/business-central/business-central.types';

/** A filtered read of one entity set (the connector's own, bound to its company and client). */
export type BcListEntities = <T>(operation: string, entitySet: string, params: Record<string, string>) => Promise<T[]>;

/**
 * @description The ERP id of a SKU: an item whose number is the SKU, else a variant `<item number><separator><variant
 * code>` (`<itemId>:<variantId>`); undefined when BC has neither.
 */
export async function lookupBcItem(sku: string, separator: string, list: BcListEntities): Promise<string | undefined> {
  if (sku.length <= BUSINESS_CENTRAL_ITEM_NUMBER_MAX) {
    const [item] = await list<BcItem>('items.find', 'items', {
      $filter: eqFilter('number', sku),
      $select: 'id,number',
      $top: '1',
    });
    if (item !== undefined) {
      return item.id;
    }
  }
  const at = sku.lastIndexOf(separator);
  if (separator === '' || at <= 0 || at + separator.length >= sku.length) {
    return undefined;
  }
  const itemNumber = sku.slice(0, at);
  const code = sku.slice(at + separator.length);
  if (itemNumber.length > BUSINESS_CENTRAL_ITEM_NUMBER_MAX || code.length > 10) {
    return undefined;
  }
  const [variant] = await list<BcItemVariant>('itemVariants.find', 'itemVariants', {
    $filter: `${eqFilter('itemNumber', itemNumber)} and ${eqFilter('code', code)}`,
    $top: '1',
  });
  return variant === undefined ? undefined : variantErpItemId(variant.itemId, variant.id);
}
