import { Logger, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import type { AppConfig } from 'src/config/app-config';

// Keys of the 32 characters ADMIN_API_KEYS requires.
const KEY = 'k3y-0123456789abcdef0123456789abcdef';
const OTHER_KEY = 'second-key-fedcba9876543210fedcba98';

function guardWith(apiKeys: string[]): AdminApiKeyGuard {
  return new AdminApiKeyGuard({ admin: { apiKeys } } as unknown as AppConfig);
}

function httpContext(authorization?: string): ExecutionContext {
  const req = { headers: authorization === undefined ? {} : { authorization }, url: '/admin/dead-letters' };
  return new ExecutionContextHost([req, {}, () => undefined]);
}

function graphqlContext(authorization?: string): ExecutionContext {
  const req = { headers: authorization === undefined ? {} : { authorization }, url: '/graphql' };
  const context = new ExecutionContextHost([{}, {}, { req }, {}]);
  context.setType('graphql');
  return context;
}

describe(AdminApiKeyGuard.name, () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
  });

  function expectRefused(guard: AdminApiKeyGuard, context: ExecutionContext): void {
    expect(() => guard.canActivate(context)).toThrow(new UnauthorizedException('missing or invalid API key'));
  }

  it.each([
    ['HTTP', httpContext],
    ['GraphQL', graphqlContext],
  ])('admits the right key (%s)', (_name, contextOf) => {
    const sut = guardWith([OTHER_KEY, KEY]);

    expect(sut.canActivate(contextOf(`Bearer ${KEY}`))).toBe(true);
    expect(sut.canActivate(contextOf(`bearer ${OTHER_KEY}`))).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['HTTP', httpContext],
    ['GraphQL', graphqlContext],
  ])('refuses a request without an Authorization header (%s)', (_name, contextOf) => {
    expectRefused(guardWith([KEY]), contextOf());
  });

  it('refuses a wrong key, another scheme and an empty bearer', () => {
    const sut = guardWith([KEY]);

    expectRefused(sut, httpContext('Bearer wrong-key'));
    expectRefused(sut, httpContext(`Basic ${KEY}`));
    expectRefused(sut, httpContext(KEY));
    expectRefused(sut, httpContext('Bearer '));
    expectRefused(sut, graphqlContext('Bearer wrong-key'));
  });

  it('refuses a prefix of a real key, and a real key with a suffix', () => {
    const sut = guardWith([KEY]);

    expectRefused(sut, httpContext(`Bearer ${KEY.slice(0, -1)}`));
    expectRefused(sut, httpContext(`Bearer ${KEY.slice(0, 4)}`));
    expectRefused(sut, httpContext(`Bearer ${KEY}x`));
  });

  it('refuses everything when no keys are configured (fail closed)', () => {
    const sut = guardWith([]);

    expectRefused(sut, httpContext('Bearer '));
    expectRefused(sut, httpContext('Bearer anything'));
    expectRefused(sut, graphqlContext(`Bearer ${KEY}`));
    expect(warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ reason: 'no keys configured' }),
      expect.any(String),
    );
  });

  it('ignores an empty configured key rather than matching an empty bearer', () => {
    expectRefused(guardWith(['']), httpContext('Bearer '));
  });

  it('counts refusals in a warn line that never contains the presented key', () => {
    const sut = guardWith([KEY]);
    const presented = `${KEY.slice(0, -1)}Z`;

    expectRefused(sut, httpContext(`Bearer ${presented}`));
    expectRefused(sut, httpContext());

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

  it('does not echo the key in the error', () => {
    const sut = guardWith([KEY]);
    let error: unknown;
    try {
      sut.canActivate(httpContext('Bearer some-secret-attempt'));
    } catch (caught: unknown) {
      error = caught;
    }

    expect(JSON.stringify((error as UnauthorizedException).getResponse())).not.toContain('some-secret-attempt');
  });
});
