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
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

type RefusalReason = 'no keys configured' | 'missing bearer token' | 'invalid key';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 7235). */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Admits a request only if it carries `Authorization: Bearer <key>` with one of `ADMIN_API_KEYS`; works for REST
 * controllers and GraphQL resolvers alike. Applied explicitly (`@UseGuards(AdminApiKeyGuard)`) on every admin
 * controller and resolver class; there is no global guard and no `@Public()` escape hatch.
 *
 * Keys are compared as SHA-256 digests with `timingSafeEqual`: equal-length inputs, so neither the key's length nor
 * a matching prefix shows in the timing, and every configured key is compared. No keys configured: every request is
 * refused (fail closed).
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(AdminApiKeyGuard.name);
  private readonly keyDigests: readonly Buffer[];
  private refusals = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keyDigests = config.admin.apiKeys.filter((key) => key.length > 0).map(sha256);
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
    const digest = sha256(token);
    let matched = false;
    for (const keyDigest of this.keyDigests) {
      // No early exit: the time taken does not tell which key (or whether any) matched.
      matched = timingSafeEqual(keyDigest, digest) || matched;
    }
    return matched ? undefined : 'invalid key';
  }

  private requestOf(context: ExecutionContext): Request | undefined {
    if (context.getType<GqlContextType>() === 'graphql') {
      return GqlExecutionContext.create(context).getContext<{ req?: Request }>().req;
    }
    return context.switchToHttp().getRequest<Request>();
  }
}
