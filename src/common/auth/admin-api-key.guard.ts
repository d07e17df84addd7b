import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  Optional,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import { ADMIN_ACCESS, accessRefusal, requestedShops, type AdminAccess } from 'src/common/auth/admin-access';
import { rememberCaller, requestOf } from 'src/common/auth/admin-caller';
import { ADMIN_KEY_STORE, type AdminKeyStore } from 'src/common/auth/admin-key-store.port';
import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import { bearerToken, keyDigests, matchesKey } from 'src/common/auth/bearer-keys';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

type RefusalReason = 'no keys configured' | 'missing bearer token' | 'invalid key';

/** Who a key of ADMIN_API_KEYS is: an admin for every shop (the keys that create the others). */
const BOOTSTRAP_CALLER: AdminCaller = { keyId: null, name: 'ADMIN_API_KEYS', role: AdminRole.Admin, shops: null };

/**
 * Admits a request to an admin handler only if it carries `Authorization: Bearer <key>` with a key of
 * `ADMIN_API_KEYS` (admin, every shop) or a stored, unrevoked key (ADMIN_KEY_STORE), whose role and shop scope
 * allow what the handler declares with `@RequireRole`: unknown key 401 / UNAUTHENTICATED; too small a role, a shop
 * outside the key's scope, or a handler that declares no role 403 / FORBIDDEN. Works for REST controllers and
 * GraphQL resolvers alike; `@RequireRole` applies it, and the admitted caller is available through `@Caller()`.
 *
 * ADMIN_API_KEYS are compared in constant time (bearer-keys.ts); each is at least 32 characters (ADMIN_API_KEYS is
 * refused at start otherwise). No key configured nor stored: every request is refused (fail closed).
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(AdminApiKeyGuard.name);
  private readonly keyDigests: readonly Buffer[];
  private refusals = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
    @Optional() @Inject(ADMIN_KEY_STORE) private readonly store?: AdminKeyStore,
  ) {
    this.keyDigests = keyDigests(config.admin.apiKeys);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    const caller = await this.authenticate(request);
    const access = this.reflector.getAllAndOverride<AdminAccess | undefined>(ADMIN_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const refusal = accessRefusal(caller, access, requestedShops(this.argumentsOf(context, request)));
    if (refusal !== undefined) {
      const handler = `${context.getClass().name}.${context.getHandler().name}`;
      if (access === undefined) {
        this.logger.error({ handler }, 'admin handler declares no role (@RequireRole): every call is refused');
      } else {
        this.logger.warn({ key: caller.name, keyId: caller.keyId, handler, refusal }, 'admin API request forbidden');
      }
      throw new ForbiddenException(refusal);
    }
    if (request !== undefined) {
      rememberCaller(request, caller);
    }
    return true;
  }

  private async authenticate(request: Request | undefined): Promise<AdminCaller> {
    const token = bearerToken(request?.headers?.authorization);
    let reason: RefusalReason;
    if (token === undefined) {
      reason = 'missing bearer token';
    } else if (matchesKey(this.keyDigests, token)) {
      return BOOTSTRAP_CALLER;
    } else {
      const stored = this.store === undefined ? undefined : await this.store.authenticate(token);
      if (stored !== undefined) {
        return stored;
      }
      reason = this.keyDigests.length === 0 && this.store === undefined ? 'no keys configured' : 'invalid key';
    }
    this.refusals += 1;
    // Never the key itself: a mistyped key is often one character away from a real one.
    this.logger.warn(
      { refusals: this.refusals, reason, ip: request?.ip, path: request?.originalUrl ?? request?.url },
      'admin API request refused',
    );
    throw new UnauthorizedException('missing or invalid API key');
  }

  /** Where a request names shops: GraphQL arguments, or a REST route's path parameters, query and body. */
  private argumentsOf(context: ExecutionContext, request: Request | undefined): unknown[] {
    if (context.getType<GqlContextType>() === 'graphql') {
      return [GqlExecutionContext.create(context).getArgs()];
    }
    return [request?.params, request?.query, request?.body];
  }
}
