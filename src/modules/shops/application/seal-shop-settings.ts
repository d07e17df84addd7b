import { secretContext } from 'src/modules/shops/domain/resolve-shop';
import type { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import type { ShopSettings } from 'src/modules/shops/domain/shop-settings';
import { SHOP_SECRET_FIELDS, type ShopRowPatch } from 'src/modules/shops/domain/shop.types';

/** The columns to write for validated `settings`: secrets sealed for their shop and field, the rest as given. */
export function sealShopSettings(domain: string, settings: ShopSettings, cipher: SecretCipher): ShopRowPatch {
  const patch: ShopRowPatch = {
    enabled: settings.enabled,
    currency: settings.currency,
    netsuiteSubsidiaryId: settings.erpScope?.netsuiteSubsidiaryId,
    netsuiteLocationId: settings.erpScope?.netsuiteLocationId,
    businessCentralCompanyId: settings.erpScope?.businessCentralCompanyId,
    cin7Location: settings.erpScope?.cin7Location,
    adminApiUrl: settings.adminApiUrl,
    orderTrigger: settings.orderTrigger,
    holdHighRiskOrders: settings.holdHighRiskOrders,
  };
  for (const field of SHOP_SECRET_FIELDS) {
    const value = settings[field];
    patch[field] = value === undefined || value === null ? value : cipher.encrypt(value, secretContext(domain, field));
  }
  return patch;
}
