import { ErrorKind } from 'src/common/errors/app-error';
import { classifyShopifyResponse } from 'src/modules/shopify/admin/classify-shopify-response';
import { assertNoUserErrors, ShopifyUserErrorsError } from 'src/modules/shopify/admin/shopify-admin.errors';

const cost = {
  requestedQueryCost: 752,
  actualQueryCost: null,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 666, restoreRate: 100 },
};

// Bodies as captured in api-facts A.2.
const throttled = {
  errors: [
    {
      message: 'Throttled',
      extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
    },
  ],
  extensions: { cost },
};
const maxCost = {
  errors: [
    {
      message: 'Query cost is 1002, which exceeds the single query max cost limit (1000).',
      extensions: { code: 'MAX_COST_EXCEEDED', cost: 1002, maxCost: 1000 },
    },
  ],
};

describe(classifyShopifyResponse.name, () => {
  it.each([
    ['200 THROTTLED', 200, throttled, 'throttled', undefined],
    ['429', 429, undefined, 'throttled', undefined],
    ['401 invalid token', 401, { errors: '[API] Invalid API key or access token' }, 'fail', ErrorKind.Auth],
    ['403', 403, { errors: 'Forbidden' }, 'fail', ErrorKind.Auth],
    [
      'ACCESS_DENIED',
      200,
      { errors: [{ message: 'Access denied', extensions: { code: 'ACCESS_DENIED' } }] },
      'fail',
      ErrorKind.Auth,
    ],
    ['503 outage', 503, { errors: 'Service Unavailable' }, 'retry', ErrorKind.Transient],
    [
      'INTERNAL_SERVER_ERROR',
      200,
      { errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
      'retry',
      ErrorKind.Transient,
    ],
    ['MAX_COST_EXCEEDED', 200, maxCost, 'fail', ErrorKind.Permanent],
    [
      'validation error',
      200,
      { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'" }] },
      'fail',
      ErrorKind.Permanent,
    ],
    [
      '400 missing query',
      400,
      { errors: { query: 'Required parameter missing or invalid' } },
      'fail',
      ErrorKind.Permanent,
    ],
    ['200 with data', 200, { data: { shop: { name: 'x' } }, extensions: { cost } }, 'ok', undefined],
  ])('%s', (_name, status, body, kind, errorKind) => {
    const answer = classifyShopifyResponse('Op', status, body);
    expect(answer.kind).toBe(kind);
    if (answer.kind === 'fail' || answer.kind === 'retry') {
      expect(answer.error.kind).toBe(errorKind);
      expect(answer.error.details.operation).toBe('Op');
    }
  });

  it('keeps the cost of a THROTTLED answer, so the bucket can learn from it', () => {
    const answer = classifyShopifyResponse('Op', 200, throttled);
    expect(answer).toEqual({ kind: 'throttled', cost, retryAfterMs: undefined });
  });

  it('truncates long Shopify text in messages', () => {
    const answer = classifyShopifyResponse('Op', 200, { errors: [{ message: 'x'.repeat(2_000) }] });
    expect(answer.kind === 'fail' && answer.error.message.length).toBeLessThan(400);
  });
});

describe(assertNoUserErrors.name, () => {
  it('returns a payload without userErrors and throws a permanent typed error with them', () => {
    expect(assertNoUserErrors({ userErrors: [], id: 1 }, 'productSet')).toEqual({ userErrors: [], id: 1 });
    const fail = (): unknown =>
      assertNoUserErrors(
        {
          userErrors: [
            {
              field: ['input', 'quantities', '0', 'changeFromQuantity'],
              message: 'stale',
              code: 'CHANGE_FROM_QUANTITY_STALE',
            },
          ],
        },
        'inventorySetQuantities',
      );
    expect(fail).toThrow(ShopifyUserErrorsError);
    try {
      fail();
    } catch (error) {
      const e = error as ShopifyUserErrorsError;
      expect(e.kind).toBe(ErrorKind.Permanent);
      expect(e.codes).toEqual(['CHANGE_FROM_QUANTITY_STALE']);
      expect(e.message).toContain('input.quantities.0.changeFromQuantity');
    }
    expect(() => assertNoUserErrors(null, 'productSet')).toThrow(/no payload/);
  });
});
