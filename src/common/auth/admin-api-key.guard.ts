import {
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import { bearerToken, keyDigests, matchesKey } from 'src/common/auth/bearer-keys';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

type RefusalReason = 'no keys configured' | 'missing bearer token' | 'invalid key';

/**
 * Admits a request only if it carries `Authorization: Bearer <key>` with one of `ADMIN_API_KEYS`; works for REST
 * controllers and GraphQL resolvers alike. Applied explicitly (`@UseGuards(AdminApiKeyGuard)`) on every admin
 * controller and resolver class; there is no global guard and no `@Public()` escape hatch.
 *
 * Keys are compared in constant time (bearer-keys.ts); each is at least 32 characters (ADMIN_API_KEYS is refused at
 * start otherwise). No keys configured: every request is refused (fail closed).
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(AdminApiKeyGuard.name);
  private readonly keyDigests: readonly Buffer[];
  private refusals = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keyDigests = keyDigests(config.admin.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = this.requestOf(context);
    const token = bearerToken(request?.headers?.authorization);
    const reason = this.refusalReason(token);
    if (reason === undefined) {
      return true;
    }
    this.refusals += 1;
    // Never the key itself: a mistyped key is often one character away from a real one.
    this.logger.warn(
      { refusals: this.refusals, reason, ip: request?.ip, path: request?.originalUrl ?? request?.url },
      'admin API request refused',
    );
    throw new UnauthorizedException('missing or invalid API key');
  }

  private refusalReason(token: string | undefined): RefusalReason | undefined {
    if (this.keyDigests.length === 0) {
      return 'no keys configured';
    }
    if (token === undefined) {
      return 'missing bearer token';
    }
    return matchesKey(this.keyDigests, token) ? undefined : 'invalid key';
  }

  private requestOf(context: ExecutionContext): Request | undefined {
    if (context.getType<GqlContextType>() === 'graphql') {
      return GqlExecutionContext.create(context).getContext<{ req?: Request }>().req;
    }
    return context.switchToHttp().getRequest<Request>();
  }
}
