import { parseStringMap, type StringMapParse } from 'src/config/string-map.parser';

/**
 * @description Reads ERP_PAYMENT_TERMS_MAP, a JSON object of Shopify payment terms names to the ERP's terms, e.g.
 * `{"Net 30":"2","Net 60":"3"}`: NetSuite term internal ids, Business Central payment terms codes or Cin7 Core
 * payment term names, for whichever ERP_CONNECTOR selects. Every key and value must be a non-empty string. Pure.
 */
export function parsePaymentTermsMap(text: string): StringMapParse {
  return parseStringMap(text, 'a non-empty Shopify name and ERP value');
}
