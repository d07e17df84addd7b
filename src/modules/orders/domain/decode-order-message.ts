import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { decodeRefundPayload } from 'src/modules/orders/domain/decode-refund-payload';
import { decodeReturnWebhook } from 'src/modules/orders/domain/decode-return-webhook';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

const REFUND_TOPIC = 'refunds/create';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an order-partition message body exactly as its consumer does (an order event, a refund or a return), without
 * applying it: what an operator's edited dead letter must pass before it is sent again. Returns the id of the
 * resource it is about (the order, the refund or the return).
 *
 * @throws OrderError(InvalidPayload) naming the first offending field path, e.g. `line_items[2].price`.
 */
export function decodeOrderMessage(topic: string, body: Buffer): { resourceId: string } {
  let text: string;
  let parsed: unknown;
  try {
    text = UTF8.decode(body);
    parsed = JSON.parse(text);
  } catch {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'message body is not valid JSON');
  }
  if (topic === REFUND_TOPIC) {
    return { resourceId: String(decodeRefundPayload(parsed, text).id) };
  }
  if (topic.startsWith('returns/')) {
    return { resourceId: decodeReturnWebhook(text).returnId };
  }
  return { resourceId: String(decodeOrderPayload(parsed).id) };
}
