import { errorMessage } from 'src/common/errors/app-error';
import { exactIntegerField } from 'src/common/json/exact-integer-field';
import { decodeInventoryLevelUpdate } from 'src/modules/inventory';
import { decodeOrderMessage } from 'src/modules/orders';
import { decodeCatalogEvent } from 'src/modules/products';

/** The largest edited payload accepted: the webhook ingest's own body limit. */
export const MAX_EDITED_PAYLOAD_BYTES = 2 * 1024 * 1024;

export type EditedPayloadCheck = { valid: true } | { valid: false; message: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an operator's edited payload for a dead letter of `topic` with the decoder of the consumer that will read
 * it (orders and refunds, inventory levels, products), so that a payload the consumer would refuse is refused now,
 * with the same message, instead of dying again. An edit may not change which resource the message is about: the
 * decoded id must be the dead letter's Shopify id.
 */
export function checkEditedPayload(topic: string, shopifyId: string | undefined, body: Buffer): EditedPayloadCheck {
  if (body.length > MAX_EDITED_PAYLOAD_BYTES) {
    return { valid: false, message: `payload is larger than ${MAX_EDITED_PAYLOAD_BYTES} bytes` };
  }
  let resourceId: string | undefined;
  try {
    resourceId = decode(topic, body);
  } catch (error: unknown) {
    return { valid: false, message: errorMessage(error) };
  }
  if (shopifyId !== undefined && shopifyId !== '' && resourceId !== undefined && resourceId !== shopifyId) {
    // A bare id above 2^53 is rounded by JSON.parse: compare the exact digits of the text before refusing.
    if (exactIntegerField(body.toString('utf8'), 'id') !== shopifyId) {
      return {
        valid: false,
        message: `payload id ${resourceId} is not the dead letter's resource ${shopifyId}: an edit may not change which resource it is about`,
      };
    }
  }
  return { valid: true };
}

/** The resource id the consumer's decoder read, when it reads one. */
function decode(topic: string, body: Buffer): string | undefined {
  if (topic.startsWith('orders/') || topic === 'refunds/create' || topic.startsWith('returns/')) {
    return decodeOrderMessage(topic, body).resourceId;
  }
  if (topic === 'inventory_levels/update') {
    decodeInventoryLevelUpdate(body);
    return undefined;
  }
  if (topic === 'products/update') {
    const product = decodeCatalogEvent(body);
    return typeof product.id === 'number' || typeof product.id === 'string' ? String(product.id) : undefined;
  }
  // A topic no consumer decodes beyond JSON: it must at least be a JSON object, like every webhook body.
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(body));
  } catch {
    throw new Error('payload is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('payload is not a JSON object');
  }
  return undefined;
}
