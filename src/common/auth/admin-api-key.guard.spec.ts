import { ForbiddenException, Logger, SetMetadata, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ADMIN_ACCESS, type AdminAccess } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { callerOf } from 'src/common/auth/admin-caller';
import type { AdminKeyStore } from 'src/common/auth/admin-key-store.port';
import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import type { AppConfig } from 'src/config/app-config';

// Keys of the 32 characters ADMIN_API_KEYS requires.
const KEY = 'k3y-0123456789abcdef0123456789abcdef';
const OTHER_KEY = 'second-key-fedcba9876543210fedcba98';
const SHOP_A = 'shop-a.myshopify.com';
const SHOP_B = 'shop-b.myshopify.com';

const access = (role: AdminRole, allShops = false): AdminAccess => ({ role, allShops });

/** Handlers as `@RequireRole` leaves them (its metadata), and one that declares nothing. */
class Handlers {
  @SetMetadata(ADMIN_ACCESS, access(AdminRole.Viewer))
  read(): void {}

  @SetMetadata(ADMIN_ACCESS, access(AdminRole.Operator))
  retry(): void {}

  @SetMetadata(ADMIN_ACCESS, access(AdminRole.Admin))
  configure(): void {}

  @SetMetadata(ADMIN_ACCESS, access(AdminRole.Operator, true))
  reconcileEverything(): void {}

  undeclared(): void {}
}

type HandlerName = keyof Handlers;

/** Stored keys by token, as the access module's store answers them. */
class FakeStore implements AdminKeyStore {
  constructor(private readonly keys: Record<string, AdminCaller>) {}

  authenticate(token: string): Promise<AdminCaller | undefined> {
    return Promise.resolve(this.keys[token]);
  }
}

const stored = (role: AdminRole, shops: string[] | null): AdminCaller => ({
  keyId: '7',
  name: `${role} key`,
  role,
  shops,
});

function guardWith(apiKeys: string[], store?: AdminKeyStore): AdminApiKeyGuard {
  return new AdminApiKeyGuard({ admin: { apiKeys } } as unknown as AppConfig, new Reflector(), store);
}

interface RequestParts {
  authorization?: string;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

function httpContext(
  authorization?: string,
  handler: HandlerName = 'read',
  parts: RequestParts = {},
): ExecutionContext {
  const req = {
    headers: authorization === undefined ? {} : { authorization },
    url: '/admin/dead-letters',
    params: parts.params ?? {},
    query: parts.query ?? {},
    body: parts.body,
  };
  return new ExecutionContextHost([req, {}, () => undefined], Handlers, Handlers.prototype[handler]);
}

function graphqlContext(
  authorization?: string,
  handler: HandlerName = 'read',
  args: Record<string, unknown> = {},
): ExecutionContext {
  const req = { headers: authorization === undefined ? {} : { authorization }, url: '/graphql' };
  const context = new ExecutionContextHost([{}, args, { req }, {}], Handlers, Handlers.prototype[handler]);
  context.setType('graphql');
  return context;
}

describe(AdminApiKeyGuard.name, () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    error.mockRestore();
  });

  async function expectUnauthenticated(guard: AdminApiKeyGuard, context: ExecutionContext): Promise<void> {
    await expect(guard.canActivate(context)).rejects.toThrow(new UnauthorizedException('missing or invalid API key'));
  }

  async function expectForbidden(guard: AdminApiKeyGuard, context: ExecutionContext): Promise<void> {
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(ForbiddenException);
  }

  describe('authentication', () => {
    it.each([
      ['HTTP', httpContext],
      ['GraphQL', graphqlContext],
    ])('admits a key of ADMIN_API_KEYS as an admin of every shop (%s)', async (_name, contextOf) => {
      const sut = guardWith([OTHER_KEY, KEY]);
      const context = contextOf(`Bearer ${KEY}`, 'configure');

      await expect(sut.canActivate(context)).resolves.toBe(true);
      await expect(sut.canActivate(contextOf(`bearer ${OTHER_KEY}`, 'read'))).resolves.toBe(true);
      expect(callerOf(context)).toEqual({ keyId: null, name: 'ADMIN_API_KEYS', role: AdminRole.Admin, shops: null });
      expect(warn).not.toHaveBeenCalled();
    });

    it.each([
      ['HTTP', httpContext],
      ['GraphQL', graphqlContext],
    ])('refuses a request without an Authorization header (%s)', async (_name, contextOf) => {
      await expectUnauthenticated(guardWith([KEY]), contextOf());
    });

    it('refuses a wrong key, another scheme and an empty bearer', async () => {
      const sut = guardWith([KEY]);

      await expectUnauthenticated(sut, httpContext('Bearer wrong-key'));
      await expectUnauthenticated(sut, httpContext(`Basic ${KEY}`));
      await expectUnauthenticated(sut, httpContext(KEY));
      await expectUnauthenticated(sut, httpContext('Bearer '));
      await expectUnauthenticated(sut, graphqlContext('Bearer wrong-key'));
    });

    it('refuses a prefix of a real key, and a real key with a suffix', async () => {
      const sut = guardWith([KEY]);

      await expectUnauthenticated(sut, httpContext(`Bearer ${KEY.slice(0, -1)}`));
      await expectUnauthenticated(sut, httpContext(`Bearer ${KEY.slice(0, 4)}`));
      await expectUnauthenticated(sut, httpContext(`Bearer ${KEY}x`));
    });

    it('refuses everything when no keys are configured nor stored (fail closed)', async () => {
      const sut = guardWith([]);

      await expectUnauthenticated(sut, httpContext('Bearer '));
      await expectUnauthenticated(sut, httpContext('Bearer anything'));
      await expectUnauthenticated(sut, graphqlContext(`Bearer ${KEY}`));
      expect(warn).toHaveBeenLastCalledWith(
        expect.objectContaining({ reason: 'no keys configured' }),
        expect.any(String),
      );
    });

    it('ignores an empty configured key rather than matching an empty bearer', async () => {
      await expectUnauthenticated(guardWith(['']), httpContext('Bearer '));
    });

    it('admits a stored key the store knows, and refuses one it does not', async () => {
      const sut = guardWith([KEY], new FakeStore({ 'esk_viewer-key': stored(AdminRole.Viewer, null) }));

      await expect(sut.canActivate(httpContext('Bearer esk_viewer-key'))).resolves.toBe(true);
      await expectUnauthenticated(sut, httpContext('Bearer esk_revoked-key'));
    });

    it('counts refusals in a warn line that never contains the presented key', async () => {
      const sut = guardWith([KEY]);
      const presented = `${KEY.slice(0, -1)}Z`;

      await expectUnauthenticated(sut, httpContext(`Bearer ${presented}`));
      await expectUnauthenticated(sut, httpContext());

      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenNthCalledWith(
        1,
        expect.objectContaining({ refusals: 1, reason: 'invalid key', path: '/admin/dead-letters' }),
        'admin API request refused',
      );
      expect(warn).toHaveBeenNthCalledWith(
        2,
        expect.objectContaining({ refusals: 2, reason: 'missing bearer token' }),
        'admin API request refused',
      );
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).not.toContain(presented);
      expect(logged).not.toContain(KEY);
    });

    it('does not echo the key in the error', async () => {
      const sut = guardWith([KEY]);
      const refused = await sut.canActivate(httpContext('Bearer some-secret-attempt')).catch((e: unknown) => e);

      expect(JSON.stringify((refused as UnauthorizedException).getResponse())).not.toContain('some-secret-attempt');
    });
  });

  describe('roles', () => {
    const store = new FakeStore({
      esk_viewer: stored(AdminRole.Viewer, null),
      esk_operator: stored(AdminRole.Operator, null),
      esk_admin: stored(AdminRole.Admin, null),
    });
    const sut = guardWith([KEY], store);

    it.each([
      ['esk_viewer', ['read'], ['retry', 'configure', 'reconcileEverything']],
      ['esk_operator', ['read', 'retry', 'reconcileEverything'], ['configure']],
      ['esk_admin', ['read', 'retry', 'configure', 'reconcileEverything'], []],
    ] as Array<[string, HandlerName[], HandlerName[]]>)(
      '%s may call %j and nothing above its role',
      async (key, allowed, refused) => {
        for (const handler of allowed) {
          await expect(sut.canActivate(graphqlContext(`Bearer ${key}`, handler))).resolves.toBe(true);
        }
        for (const handler of refused) {
          await expectForbidden(sut, graphqlContext(`Bearer ${key}`, handler));
          await expectForbidden(sut, httpContext(`Bearer ${key}`, handler));
        }
      },
    );

    it('says which role an operation requires, naming no key', async () => {
      const refused = await sut.canActivate(httpContext('Bearer esk_viewer', 'retry')).catch((e: unknown) => e);

      expect((refused as ForbiddenException).message).toBe(
        'this operation requires the operator role; the key has the viewer role',
      );
      expect(JSON.stringify(warn.mock.calls)).not.toContain('esk_viewer');
    });

    it('refuses every key, ADMIN_API_KEYS too, on a handler that declares no role, and logs it as a bug', async () => {
      await expectForbidden(sut, graphqlContext(`Bearer ${KEY}`, 'undeclared'));
      await expectForbidden(sut, httpContext('Bearer esk_admin', 'undeclared'));
      expect(error).toHaveBeenCalledWith(
        { handler: 'Handlers.undeclared' },
        'admin handler declares no role (@RequireRole): every call is refused',
      );
    });
  });

  describe('shops', () => {
    const store = new FakeStore({
      'esk_shop-a': stored(AdminRole.Operator, [SHOP_A]),
      'esk_every-shop': stored(AdminRole.Viewer, null),
    });
    const sut = guardWith([KEY], store);
    const shopA = 'Bearer esk_shop-a';

    it('admits a key limited to shop A asking for shop A, in any case, wherever the argument is', async () => {
      for (const context of [
        graphqlContext(shopA, 'read', { shop: SHOP_A }),
        graphqlContext(shopA, 'read', { filter: { shop: 'SHOP-A.myshopify.com' } }),
        graphqlContext(shopA, 'retry', { input: { shop: SHOP_A, shops: [SHOP_A] } }),
        graphqlContext(shopA, 'read', {}),
        httpContext(shopA, 'read', { params: { shop: SHOP_A } }),
        httpContext(shopA, 'read', { query: { shop: SHOP_A } }),
        httpContext(shopA, 'retry', { body: { shop: SHOP_A } }),
      ]) {
        await expect(sut.canActivate(context)).resolves.toBe(true);
      }
    });

    it('refuses a key limited to shop A asking for shop B, wherever the argument is', async () => {
      for (const context of [
        graphqlContext(shopA, 'read', { shop: SHOP_B }),
        graphqlContext(shopA, 'read', { filter: { shop: SHOP_B } }),
        graphqlContext(shopA, 'read', { input: { shops: [SHOP_A, SHOP_B] } }),
        httpContext(shopA, 'read', { params: { shop: SHOP_B } }),
        httpContext(shopA, 'read', { query: { shop: SHOP_B } }),
        httpContext(shopA, 'retry', { body: { shop: SHOP_B } }),
      ]) {
        await expectForbidden(sut, context);
      }
    });

    it('refuses a shop argument that is not a string (an array in a query string, an object)', async () => {
      await expectForbidden(sut, httpContext(shopA, 'read', { query: { shop: [SHOP_A, SHOP_B] } }));
      await expectForbidden(sut, graphqlContext(shopA, 'read', { shop: { in: [SHOP_B] } }));
    });

    it('refuses a key limited to some shops an operation on every shop, even with the role for it', async () => {
      await expectForbidden(sut, graphqlContext(shopA, 'reconcileEverything'));
      await expect(sut.canActivate(graphqlContext(`Bearer ${KEY}`, 'reconcileEverything'))).resolves.toBe(true);
    });

    it('lets a key for every shop ask for any shop', async () => {
      await expect(sut.canActivate(graphqlContext('Bearer esk_every-shop', 'read', { shop: SHOP_B }))).resolves.toBe(
        true,
      );
    });
  });
});
