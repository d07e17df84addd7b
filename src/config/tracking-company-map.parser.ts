import { parseStringMap, type StringMapParse } from 'src/config/string-map.parser';

/**
 * @description Reads SHOPIFY_TRACKING_COMPANY_MAP, a JSON object of ERP carrier / ship-method names to Shopify
 * tracking company names, e.g. `{"Next Day Pallet":"Palletways","PRIORITY":"USPS"}`. Every key and value must be a
 * non-empty string. Pure.
 */
export function parseTrackingCompanyMap(text: string): StringMapParse {
  return parseStringMap(text, 'a non-empty ERP name and Shopify company name');
}
