import type { Cin7Client, Cin7Query } from 'src/modules/erp/connectors/cin7/cin7.client';
import { Cin7CustomerDirectory } from 'src/modules/erp/connectors/cin7/cin7.customer-directory';
import type { Cin7Customer } from 'src/modules/erp/connectors/cin7/cin7.types';

/** A Cin7 that lists its customers as GET /customer does (ModifiedSince inclusive, IncludeDeprecated, Page/Limit). */
class FakeCin7 {
  readonly customers = new Map<string, Cin7Customer>();
  readonly queries: Cin7Query[] = [];

  put(id: string, email: string, modified: string, status = 'Active'): void {
    this.customers.set(id, {
      ID: id,
      Name: `Customer ${id}`,
      Status: status,
      LastModifiedOn: modified,
      Contacts: [{ Name: 'Buyer', Email: email }],
    });
  }

  client(): Cin7Client {
    return {
      get: (_operation: string, _path: string, query: Cin7Query) => {
        this.queries.push(query);
        const since = query.ModifiedSince === undefined ? undefined : Date.parse(`${String(query.ModifiedSince)}Z`);
        const listed = [...this.customers.values()]
          .filter((c) => query.IncludeDeprecated === true || c.Status !== 'Deprecated')
          .filter((c) => since === undefined || Date.parse(`${c.LastModifiedOn ?? ''}Z`) >= since);
        const limit = Number(query.Limit);
        const page = Number(query.Page);
        return Promise.resolve({
          Total: listed.length,
          Page: page,
          CustomerList: listed.slice((page - 1) * limit, page * limit),
        });
      },
    } as unknown as Cin7Client;
  }
}

describe(Cin7CustomerDirectory.name, () => {
  it('reads every customer once, then only what changed since the newest change less the overlap', async () => {
    const cin7 = new FakeCin7();
    cin7.put('c-1', 'ana@example.com', '2026-12-07T10:00:00.000');
    const sut = new Cin7CustomerDirectory(cin7.client(), { overlapMs: 10_000 });
    expect((await sut.find('ANA@example.com '))?.ID).toBe('c-1');
    expect(cin7.queries).toEqual([{ Page: 1, Limit: 1000, IncludeDeprecated: true }]);
    // The merchant adds a customer in Cin7: the next look-up's refresh lists it.
    cin7.put('c-2', 'bea@example.com', '2026-12-07T10:05:00.000');
    expect((await sut.find('bea@example.com'))?.ID).toBe('c-2');
    expect(cin7.queries[1]).toEqual({
      Page: 1,
      Limit: 1000,
      IncludeDeprecated: true,
      ModifiedSince: '2026-12-07T09:59:50.000',
    });
    expect(cin7.queries[2]?.ModifiedSince).toBeUndefined();
    expect(await sut.find('nobody@example.com')).toBeUndefined();
    expect(cin7.queries[2]?.ModifiedSince).toBe('2026-12-07T10:04:50.000');
  });

  it('answers the look-ups waiting together with one refresh', async () => {
    const cin7 = new FakeCin7();
    cin7.put('c-1', 'ana@example.com', '2026-12-07T10:00:00.000');
    const sut = new Cin7CustomerDirectory(cin7.client(), { windowMs: 20 });
    const found = await Promise.all(
      ['ana@example.com', 'x@example.com', 'y@example.com', 'z@example.com'].map((e) => sut.find(e)),
    );
    expect(found.map((c) => c?.ID)).toEqual(['c-1', undefined, undefined, undefined]);
    expect(cin7.queries).toHaveLength(1);
  });

  it('pages through a full read', async () => {
    const cin7 = new FakeCin7();
    for (let i = 0; i < 2_500; i++) {
      cin7.put(`c-${i}`, `buyer${i}@example.com`, '2026-12-07T10:00:00.000');
    }
    const sut = new Cin7CustomerDirectory(cin7.client());
    expect((await sut.find('buyer2499@example.com'))?.ID).toBe('c-2499');
    expect(cin7.queries.map((q) => q.Page)).toEqual([1, 2, 3]);
  });

  it('follows a changed e-mail and a deprecated customer, and prefers the customer changed last', async () => {
    const cin7 = new FakeCin7();
    cin7.put('c-1', 'ana@example.com', '2026-12-07T10:00:00.000');
    cin7.put('c-2', 'bea@example.com', '2026-12-07T10:00:00.000');
    const sut = new Cin7CustomerDirectory(cin7.client());
    await sut.find('ana@example.com');
    cin7.put('c-1', 'ana.new@example.com', '2026-12-07T10:01:00.000');
    cin7.put('c-2', 'bea@example.com', '2026-12-07T10:01:00.000', 'Deprecated');
    cin7.put('c-3', 'ana.new@example.com', '2026-12-07T10:02:00.000');
    expect(await sut.find('ana@example.com')).toBeUndefined();
    expect(await sut.find('bea@example.com')).toBeUndefined();
    expect((await sut.find('ana.new@example.com'))?.ID).toBe('c-3');
  });

  it('forgets a customer Cin7 no longer has, and holds the one a create answered with', async () => {
    const cin7 = new FakeCin7();
    cin7.put('c-1', 'ana@example.com', '2026-12-07T10:00:00.000');
    const sut = new Cin7CustomerDirectory(cin7.client());
    await sut.find('ana@example.com');
    cin7.customers.delete('c-1'); // deleted in Cin7: never listed as changed
    expect((await sut.find('ana@example.com'))?.ID).toBe('c-1');
    sut.forget('c-1');
    expect(await sut.find('ana@example.com')).toBeUndefined();
    sut.remember({ ID: 'c-9', LastModifiedOn: '2026-12-07T10:03:00.000', Contacts: [{ Email: 'Ana@Example.com' }] });
    expect((await sut.find('ana@example.com'))?.ID).toBe('c-9');
  });

  it("ends a caller's wait when its lease is lost", async () => {
    const cin7 = new FakeCin7();
    const sut = new Cin7CustomerDirectory(cin7.client(), { windowMs: 50 });
    const lease = new AbortController();
    const waiting = sut.find('ana@example.com', lease.signal);
    lease.abort(new Error('LOCK_LOST'));
    await expect(waiting).rejects.toThrow('LOCK_LOST');
  });
});
