/**
 * The ERP document number on the Shopify order (docs/erp-to-shopify.md "ERP document number"): a tag (the configured
 * prefix + the number) and a metafield. Pure: decides from what the order carries now what is still to write, so a
 * redelivery, a retry after a lost answer or a later update of the order writes nothing twice.
 */

/** The metafield that carries the number (`single_line_text_field`). */
export const ERP_DOCUMENT_METAFIELD = {
  namespace: 'erp_sync',
  key: 'erp_document_number',
  type: 'single_line_text_field',
} as const;

export interface DocumentNumberOnOrder {
  tags: readonly string[];
  /** The metafield's value, or null when the order has none. */
  metafieldValue: string | null;
}

export interface DocumentNumberWriteBack {
  /** The tag to add (`tagsAdd`), or null when the order carries it. */
  addTag: string | null;
  /** Whether the metafield is to be set (`metafieldsSet`): absent or holding another number. */
  setMetafield: boolean;
}

/**
 * The tag of a number: prefix + number, without commas (`tagsAdd` splits a string on them) or surrounding spaces.
 * Shopify compares tags case-insensitively, so does `planDocumentNumberWriteBack`.
 */
export function documentNumberTag(prefix: string, documentNumber: string): string {
  return `${prefix}${documentNumber}`.replace(/,/g, ' ').trim();
}

export function planDocumentNumberWriteBack(
  prefix: string,
  documentNumber: string,
  order: DocumentNumberOnOrder,
): DocumentNumberWriteBack {
  const tag = documentNumberTag(prefix, documentNumber);
  const tagged = order.tags.some((t) => t.trim().toLowerCase() === tag.toLowerCase());
  return { addTag: tagged ? null : tag, setMetafield: order.metafieldValue !== documentNumber };
}
