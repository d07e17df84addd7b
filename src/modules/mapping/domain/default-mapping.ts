import type { ErpConfig } from 'src/config/app-config';
import { ANY, emptyMappingConfig, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';

/**
 * Version 1 of a shop's mapping: what the environment configured before mappings were editable, so that the first
 * version maps orders exactly as the environment did. NETSUITE_SHIP_METHOD_ID, NETSUITE_DISCOUNT_ITEM_ID,
 * BC_SHIPPING_ACCOUNT_NO and CIN7_TAX_RULE become `*` entries and constants; SHOPIFY_LOCATION_MAP becomes the
 * location pairs. The ERP scope of a shop (NetSuite subsidiary and location, Cin7 location) is the shops module's,
 * so it is not copied here: a mapping value for those targets is an operator's deliberate override. The connectors
 * keep these variables as their fallbacks, so a value a later version leaves out falls back to them.
 */
export function defaultMappingConfig(
  erp: ErpConfig,
  locationMap: ReadonlyArray<{ erpLocationId: string; shopifyLocationId: string }>,
): OrderMappingConfig {
  const config = emptyMappingConfig();
  config.locations = locationMap.map((entry) => ({
    // Orders carry the numeric `location_id`; SHOPIFY_LOCATION_MAP names locations by GID.
    shopifyLocationId: /(\d+)$/.exec(entry.shopifyLocationId)?.[1] ?? entry.shopifyLocationId,
    erpLocation: entry.erpLocationId,
  }));
  switch (erp.connector) {
    case 'netsuite': {
      const ns = erp.netsuite;
      if (ns.shipMethodId !== undefined) {
        config.shippingMethods.push({ shopifyCode: ANY, shipMethod: ns.shipMethodId });
      }
      if (ns.discountItemId !== undefined) {
        config.fields.push({ target: 'discountItem', source: { kind: 'constant', value: ns.discountItemId } });
      }
      break;
    }
    case 'business-central':
      config.shippingMethods.push({ shopifyCode: ANY, shippingItem: erp.businessCentral.shippingAccountNumber });
      break;
    case 'cin7':
      config.taxes.push({ shopifyTitle: ANY, taxCode: erp.cin7.taxRule });
      break;
    case 'sandbox':
      break;
  }
  return config;
}
