import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';

/** The simulator's Shopify behaviour, through its HTTP endpoint (what the production client sees). */
describe('ShopifySimulator', () => {
  const sim = new ShopifySimulator({ restoreRate: 50 });
  let url: string;
  let itemId: string;
  let locationId: string;

  const post = async (query: string, variables: Record<string, unknown> = {}, token = sim.accessToken) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
      userErrors { field message code }
    }
  }`;
  const quantities = (quantity: number, changeFromQuantity: number | null) => ({
    name: 'available',
    reason: 'correction',
    quantities: [{ inventoryItemId: itemId, locationId, quantity, changeFromQuantity }],
  });

  beforeAll(async () => {
    url = await sim.start();
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.reset();
    const loc = sim.catalog.addLocation('Main');
    const { variants } = sim.catalog.addProduct({
      title: 'Tee',
      variants: [{ sku: 'TEE-M', levels: { [loc.id]: { available: 5, committed: 2 } } }],
    });
    itemId = variants[0].inventoryItemId;
    locationId = loc.id;
  });

  it("answers a wrong token with Shopify's 401 body", async () => {
    const { status, body } = await post('{ shop { name } }', {}, 'nope');
    expect(status).toBe(401);
    expect(body.errors).toMatch(/Invalid API key or access token/);
  });

  it('validates documents against the 2026-10 schema (compareQuantity no longer exists)', async () => {
    const { body } = await post(`mutation { inventorySetQuantities(input: { name: "available", reason: "correction",
      quantities: [{ inventoryItemId: "x", locationId: "y", quantity: 1, compareQuantity: 1 }] }) @idempotent(key: "k") {
      userErrors { code } } }`);
    expect(body.errors[0].message).toMatch(/compareQuantity/);
    expect(body.data).toBeUndefined();
  });

  it('returns extensions.cost with requested and actual cost on every answer', async () => {
    const { body } = await post('{ products(first: 10) { nodes { id title } } }');
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: 3,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 997, restoreRate: 50 },
    });
  });

  it('answers MAX_COST_EXCEEDED over 1,000 points and THROTTLED when the bucket is short, in Shopify shapes', async () => {
    const big = await post('{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }');
    expect(big.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });
    sim.drainBucket(5);
    const t = await post('{ products(first: 10) { nodes { id } } }');
    expect(t.status).toBe(200);
    expect(t.body).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: expect.any(String) } }],
      extensions: {
        cost: {
          requestedQueryCost: 12,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 5, restoreRate: 50 },
        },
      },
    });
    expect(sim.stats.throttled).toBe(1);
  });

  it('rejects inventorySetQuantities without @idempotent; replays a repeated key; mismatched key reuse is an error', async () => {
    const missing = await post(
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      { input: quantities(7, 5) },
    );
    expect(missing.body.errors[0].message).toMatch(/@idempotent directive is required/);
    expect(sim.catalog.quantity(itemId, locationId)).toBe(5);

    const first = await post(SET, { input: quantities(7, 5), key: 'k-1' });
    expect(first.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: 'available', delta: 2, quantityAfterChange: 7 },
      { name: 'on_hand', delta: 2, quantityAfterChange: 9 },
    ]);
    const replay = await post(SET, { input: quantities(7, 5), key: 'k-1' });
    expect(replay.body.data).toEqual(first.body.data);
    expect(sim.ledger.appliedMutations('inventorySetQuantities')).toHaveLength(1);
    const mismatch = await post(SET, { input: quantities(8, 7), key: 'k-1' });
    expect(mismatch.body.data.inventorySetQuantities.userErrors[0].code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
    expect(sim.catalog.quantity(itemId, locationId)).toBe(7);
  });

  it('changeFromQuantity: a mismatch is CHANGE_FROM_QUANTITY_STALE and applies nothing; it must be sent', async () => {
    const stale = await post(SET, { input: quantities(9, 4), key: 'k-2' });
    expect(stale.body.data.inventorySetQuantities).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [
        {
          field: ['input', 'quantities', '0', 'changeFromQuantity'],
          message: expect.any(String),
          code: 'CHANGE_FROM_QUANTITY_STALE',
        },
      ],
    });
    const omitted = {
      name: 'available',
      reason: 'correction',
      quantities: [{ inventoryItemId: itemId, locationId, quantity: 9 }],
    };
    const noCas = await post(SET, { input: omitted, key: 'k-3' });
    expect(noCas.body.data.inventorySetQuantities.userErrors[0].code).toBe('COMPARE_QUANTITY_REQUIRED');
    const skip = await post(SET, { input: quantities(9, null), key: 'k-4' });
    expect(skip.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(sim.catalog.quantity(itemId, locationId, 'on_hand')).toBe(11);
  });

  it('refuses more than 250 quantities in one call', async () => {
    const input = {
      name: 'available',
      reason: 'correction',
      quantities: Array.from({ length: 251 }, () => ({
        inventoryItemId: itemId,
        locationId,
        quantity: 1,
        changeFromQuantity: null,
      })),
    };
    const { body } = await post(SET, { input, key: 'k-5' });
    expect(body.errors[0].extensions.code).toBe('MAX_INPUT_SIZE_EXCEEDED');
  });

  it('answers an unimplemented root field with NOT_IMPLEMENTED rather than silently null', async () => {
    const { body } = await post('{ collections(first: 1) { nodes { id } } }');
    expect(body.errors[0].extensions.code).toBe('NOT_IMPLEMENTED');
  });

  it('outage fault: 503', async () => {
    sim.faults.outage = true;
    expect((await post('{ shop { name } }')).status).toBe(503);
  });
});
