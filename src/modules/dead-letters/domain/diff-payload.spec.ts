import { diffPayload, MAX_RECORDED_CHANGES, REDACTED } from 'src/modules/dead-letters/domain/diff-payload';

describe(diffPayload.name, () => {
  const order = {
    id: 1001,
    email: 'jane@example.com',
    line_items: [
      { sku: 'OLD-1', price: '10.00', quantity: 1 },
      { sku: 'KEEP-2', price: '5.00', quantity: 2 },
    ],
    billing_address: { city: 'Leeds', zip: 'LS1' },
  };

  it('names each changed leaf by its path, with before and after', () => {
    const edited = { ...order, line_items: [{ ...order.line_items[0], sku: 'NEW-1' }, order.line_items[1]] };
    expect(diffPayload(order, edited)).toEqual([
      { path: 'line_items[0].sku', change: 'changed', before: 'OLD-1', after: 'NEW-1' },
    ]);
  });

  it('finds nothing between equal documents', () => {
    expect(diffPayload(order, JSON.parse(JSON.stringify(order)))).toEqual([]);
  });

  it('records added and removed paths, an added object as its leaves', () => {
    const { email: _email, ...withoutEmail } = order;
    const edited = { ...withoutEmail, note: 'fixed', line_items: [...order.line_items, { sku: 'ADD-3' }] };
    expect(diffPayload(order, edited)).toEqual([
      { path: 'email', change: 'removed', before: REDACTED },
      { path: 'line_items[2].sku', change: 'added', after: 'ADD-3' },
      { path: 'note', change: 'added', after: 'fixed' },
    ]);
  });

  it("redacts secrets and customers' personal data, and everything below a sensitive key, keeping the path", () => {
    const before = { ...order, note_attributes: { api_token: 'shpat_1' }, customer: { note: 'x' } };
    const after = {
      ...order,
      email: 'john@example.com',
      billing_address: { city: 'York', zip: 'YO1' },
      note_attributes: { api_token: 'shpat_2' },
      customer: { note: 'y' },
    };
    const changes = diffPayload(before, after);
    expect(changes.map((c) => c.path)).toEqual([
      'email',
      'billing_address.city',
      'billing_address.zip',
      'note_attributes.api_token',
      'customer.note',
    ]);
    for (const change of changes) {
      expect(change).toMatchObject({ before: REDACTED, after: REDACTED });
    }
    expect(JSON.stringify(changes)).not.toMatch(/john|jane|shpat|York|Leeds/);
  });

  it('walks a value that changes kind (object to text) as removed leaves and an added value', () => {
    expect(diffPayload({ note: { email: 'a@b.c', text: 't' } }, { note: 'plain' })).toEqual([
      { path: 'note.email', change: 'removed', before: REDACTED },
      { path: 'note.text', change: 'removed', before: 't' },
      { path: 'note', change: 'added', after: 'plain' },
    ]);
  });

  it('caps the recorded changes and says how many more there were', () => {
    const before = { tags: Array.from({ length: MAX_RECORDED_CHANGES + 5 }, (_, i) => `t${i}`) };
    const after = { tags: before.tags.map((t) => `${t}x`) };
    const changes = diffPayload(before, after);
    expect(changes).toHaveLength(MAX_RECORDED_CHANGES + 1);
    expect(changes.at(-1)?.path).toBe('(5 more changed paths)');
  });
});
