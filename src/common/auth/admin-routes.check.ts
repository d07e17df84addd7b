import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ADMIN_ACCESS, type AdminAccess } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';

/** What @nestjs/graphql writes on a query, mutation or subscription method (RESOLVER_TYPE_METADATA). */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const OPERATION_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** @description One admin handler found at boot: where it is and what it declares. */
export interface AdminHandlerRef {
  /** `Class.method`, for the error message. */
  handler: string;
  access: AdminAccess | undefined;
  guarded: boolean;
}

type Method = (...args: unknown[]) => unknown;

/** True for a controller path under /admin (`admin`, `/admin/…`, or a list with one). */
function isAdminPath(path: unknown): boolean {
  const paths = Array.isArray(path) ? (path as unknown[]) : [path];
  return paths.some((p) => typeof p === 'string' && /^\/?admin(\/|$)/.test(p));
}

/**
 * Every admin handler of the application: each GraphQL query, mutation and subscription (the GraphQL API is the
 * admin API), and each route of a controller whose path is under /admin.
 */
export function discoverAdminHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): AdminHandlerRef[] {
  const found: AdminHandlerRef[] = [];
  const wrappers = [
    ...discovery.getControllers().map((wrapper) => ({ wrapper, controller: true })),
    ...discovery.getProviders().map((wrapper) => ({ wrapper, controller: false })),
  ];
  for (const { wrapper, controller } of wrappers) {
    const instance: unknown = wrapper.instance;
    if (typeof instance !== 'object' || instance === null) {
      continue;
    }
    const type = instance.constructor as abstract new (...args: never[]) => unknown;
    const adminController = controller && isAdminPath(reflector.get<unknown>(PATH_METADATA, type));
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = (prototype as Record<string, unknown>)[method];
      if (typeof fn !== 'function') {
        continue;
      }
      const handler = fn as Method;
      const isRoute = adminController && reflector.get<unknown>(PATH_METADATA, handler) !== undefined;
      const operation = reflector.get<unknown>(RESOLVER_TYPE_METADATA, handler);
      if (!isRoute && !(typeof operation === 'string' && OPERATION_TYPES.has(operation))) {
        continue;
      }
      const guards = [
        ...(reflector.get<unknown[] | undefined>(GUARDS_METADATA, type) ?? []),
        ...(reflector.get<unknown[] | undefined>(GUARDS_METADATA, handler) ?? []),
      ];
      found.push({
        handler: `${type.name}.${method}`,
        access: reflector.getAllAndOverride<AdminAccess | undefined>(ADMIN_ACCESS, [handler, type]),
        guarded: guards.includes(AdminApiKeyGuard),
      });
    }
  }
  return found;
}

/** @throws Error naming every admin handler that declares no role or is not behind the admin API key guard. */
export function checkAdminHandlers(handlers: readonly AdminHandlerRef[]): void {
  const problems = handlers.flatMap(({ handler, access, guarded }) => [
    ...(access === undefined ? [`${handler} declares no role (@RequireRole)`] : []),
    ...(guarded ? [] : [`${handler} is not behind AdminApiKeyGuard`]),
  ]);
  if (problems.length > 0) {
    throw new Error(`Admin API handlers without access control: ${problems.join('; ')}`);
  }
}

/**
 * The boot-time check that makes "no role, no access" the rule for everyone adding an admin handler: the app does not
 * start while a GraphQL operation or an /admin route lacks `@RequireRole` (the guard would refuse every call anyway).
 */
@Injectable()
export class AdminRoutesCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    checkAdminHandlers(discoverAdminHandlers(this.discovery, this.scanner, this.reflector));
  }
}
