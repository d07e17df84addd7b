import type { DeadLetterRow } from 'src/modules/dead-letters/domain/dead-letter.types';
import { toDeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';

const ROW: DeadLetterRow = {
  id: '7',
  messageId: 'msg-7',
  eventId: 'evt-7',
  webhookId: 'wh-7',
  entity: 'order',
  topic: 'orders/create',
  shop: 'test-store.myshopify.com',
  shopifyId: '5007',
  routingKey: 'orders.p03',
  headers: { 'x-customer-email': 'jane.doe@example.com' },
  body: Buffer.from('{"email":"jane.doe@example.com"}'),
  reason: 'unknown SKU',
  lastError: 'SKU ABC-1 not found',
  attempts: 2,
  errorClass: 'ORDER_MISSING_SKU',
  status: 'dead',
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  retriedAt: null,
  retriedBy: null,
  discardedAt: null,
  discardedBy: null,
};

describe(toDeadLetterView.name, () => {
  it('shows every field of the row but the message itself (its routing key, headers and body)', () => {
    const { routingKey: _routingKey, headers: _headers, body: _body, ...shown } = ROW;
    expect(toDeadLetterView(ROW)).toEqual(shown);
  });

  it('turns absent optional fields into null, as both APIs publish them', () => {
    const {
      eventId: _e,
      webhookId: _w,
      topic: _t,
      shop: _s,
      shopifyId: _i,
      lastError: _l,
      errorClass: _c,
      ...bare
    } = ROW;
    expect(toDeadLetterView(bare)).toMatchObject({
      eventId: null,
      webhookId: null,
      topic: null,
      shop: null,
      shopifyId: null,
      lastError: null,
      errorClass: null,
    });
  });

  it('keeps a discarded one discarded, with who and when', () => {
    const discardedAt = new Date('2026-01-02T05:00:00.000Z');
    expect(
      toDeadLetterView({ ...ROW, status: 'discarded', discardedAt, discardedBy: 'api-key:ops (#7)' }),
    ).toMatchObject({ status: 'discarded', discardedAt, discardedBy: 'api-key:ops (#7)' });
  });

  it('keeps a retried one retried, with when', () => {
    const retriedAt = new Date('2026-01-02T04:00:00.000Z');
    expect(toDeadLetterView({ ...ROW, status: 'retried', retriedAt })).toMatchObject({ status: 'retried', retriedAt });
  });
});
