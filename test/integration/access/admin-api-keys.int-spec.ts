import { createHash } from 'node:crypto';
import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuthenticateApiKey } from 'src/modules/access/application/authenticate-api-key.service';
import { CreateApiKey } from 'src/modules/access/application/create-api-key.use-case';
import { RevokeApiKey } from 'src/modules/access/application/revoke-api-key.use-case';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.adminApiKeys;
const { DATABASE_URL } = serviceUrls(DB, 0);
const BOOTSTRAP: AdminCaller = { keyId: null, name: 'ADMIN_API_KEYS', role: AdminRole.Admin, shops: null };

/** Stored admin API keys on real PostgreSQL: only a hash is kept, a revoked key is refused at once, uses are recorded. */
describe('admin API keys (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let repository: AdminApiKeyRepository;
  let create: CreateApiKey;
  let revoke: RevokeApiKey;
  let authenticate: AuthenticateApiKey;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    repository = new AdminApiKeyRepository(dataSource);
    create = new CreateApiKey(repository);
    revoke = new RevokeApiKey(repository);
    authenticate = new AuthenticateApiKey(repository);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('stores the SHA-256 of a 256-bit key, never the key, and knows the key by it', async () => {
    const { apiKey, key } = await create.execute(
      { name: ' support desk ', role: AdminRole.Viewer, shops: ['Shop-B.myshopify.com', 'shop-a.myshopify.com'] },
      BOOTSTRAP,
    );

    expect(key).toMatch(/^esk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'support desk',
      role: AdminRole.Viewer,
      shops: ['shop-a.myshopify.com', 'shop-b.myshopify.com'],
      prefix: key.slice(0, 12),
      createdBy: 'ADMIN_API_KEYS',
      lastUsedAt: null,
      revokedAt: null,
    });
    const [row] = await dataSource.query<Array<Record<string, unknown>>>(
      'SELECT to_jsonb(k) AS row, key_hash FROM admin_api_key k WHERE id = $1',
      [apiKey.id],
    );
    expect(JSON.stringify(row?.row)).not.toContain(key.slice(12));
    expect((row?.key_hash as Buffer).toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));

    await expect(authenticate.authenticate(key)).resolves.toEqual({
      keyId: apiKey.id,
      name: 'support desk',
      role: AdminRole.Viewer,
      shops: ['shop-a.myshopify.com', 'shop-b.myshopify.com'],
    });
    await expect(authenticate.authenticate(`${key.slice(0, -1)}x`)).resolves.toBeUndefined();
    await expect(authenticate.authenticate('not-one-of-ours-0123456789abcdef')).resolves.toBeUndefined();
  });

  it('records a use, once a minute at most', async () => {
    const { apiKey, key } = await create.execute({ name: 'ops', role: AdminRole.Operator, shops: null }, BOOTSTRAP);

    await authenticate.authenticate(key);
    const lastUsed = async (): Promise<Date | null> => (await repository.findById(apiKey.id))?.lastUsedAt ?? null;
    // The use is recorded after the answer (not awaited by the request): wait for it, 5 s at most.
    for (const deadline = Date.now() + 5_000; (await lastUsed()) === null && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await authenticate.authenticate(key);
    await repository.touch(apiKey.id);
    expect(await lastUsed()).toEqual(first);
  });

  it('refuses a revoked key from the next look-up on, and says so when revoked twice', async () => {
    const { apiKey, key } = await create.execute({ name: 'temp', role: AdminRole.Admin, shops: null }, BOOTSTRAP);
    await expect(authenticate.authenticate(key)).resolves.toBeDefined();

    const revoked = await revoke.execute(apiKey.id, BOOTSTRAP);

    expect(revoked).toMatchObject({ outcome: 'revoked', apiKey: { id: apiKey.id, revokedAt: expect.any(Date) } });
    await expect(authenticate.authenticate(key)).resolves.toBeUndefined();
    await expect(revoke.execute(apiKey.id, BOOTSTRAP)).resolves.toMatchObject({ outcome: 'already_revoked' });
    await expect(revoke.execute('999999', BOOTSTRAP)).resolves.toEqual({ outcome: 'not_found' });
    await expect(revoke.execute('1 OR 1=1', BOOTSTRAP)).resolves.toEqual({ outcome: 'not_found' });
  });

  it('lists keys newest first, keyset-paginated, revoked ones included', async () => {
    const all = await repository.list(100);
    const page1 = await repository.list(2);
    const page2 = await repository.list(2, page1.at(-1)?.id);

    expect(all.map((k) => k.name)).toEqual(['temp', 'ops', 'support desk']);
    expect([...page1, ...page2].map((k) => k.id)).toEqual(all.map((k) => k.id));
  });
});
