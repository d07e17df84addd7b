import { decodeReturnWebhook } from 'src/modules/orders/domain/decode-return-webhook';
import { OrderErrorCode } from 'src/modules/orders/domain/order.errors';

describe(decodeReturnWebhook.name, () => {
  it('reads both ids exactly from the text, beyond 2^53', () => {
    const body =
      '{"id":9007199254740993,"admin_graphql_api_id":"gid://shopify/Return/9007199254740993",' +
      '"order":{"id":9007199254740995,"admin_graphql_api_id":"gid://shopify/Order/9007199254740995"}}';
    expect(decodeReturnWebhook(body)).toEqual({ returnId: '9007199254740993', orderId: '9007199254740995' });
  });

  it('reads the order of a close / cancel / reopen body from order_id', () => {
    expect(decodeReturnWebhook('{"id":77,"admin_graphql_api_id":"gid://shopify/Return/77","order_id":1002}')).toEqual({
      returnId: '77',
      orderId: '1002',
    });
  });

  it.each([
    ['not JSON', '{"id":'],
    ['no return id', '{"order_id":1002}'],
    ['no order', '{"id":77,"admin_graphql_api_id":"gid://shopify/Return/77"}'],
  ])('refuses a body with %s as an invalid payload', (_case, body) => {
    expect(() => decodeReturnWebhook(body)).toThrow(expect.objectContaining({ code: OrderErrorCode.InvalidPayload }));
  });
});
