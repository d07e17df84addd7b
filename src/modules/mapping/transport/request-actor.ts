import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { bearerToken } from 'src/common/auth/bearer-keys';

/** What an auth guard may attach to the request about the caller (an API key's stored name and id). */
interface RequestPrincipal {
  name?: string;
  id?: string;
}

/**
 * Who made an admin request, for the "who" of a saved mapping version or policy change: the principal the guard
 * attached (an API key's name, else its id) when there is one, else a fingerprint of the bearer key — the first 8
 * hex digits of its SHA-256, which tells keys apart in the history without revealing anything of the key.
 */
export function actorOf(request: Request | undefined): string {
  const principal = (request as (Request & { principal?: RequestPrincipal }) | undefined)?.principal;
  if (principal?.name !== undefined && principal.name !== '') {
    return `api-key:${principal.name}`;
  }
  if (principal?.id !== undefined && principal.id !== '') {
    return `api-key:${principal.id}`;
  }
  const token = bearerToken(request?.headers?.authorization);
  return token === undefined
    ? 'unknown'
    : `api-key:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8)}`;
}

/** Resolver / controller parameter: the caller, as `actorOf` names it. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request =
    context.getType<GqlContextType>() === 'graphql'
      ? GqlExecutionContext.create(context).getContext<{ req?: Request }>().req
      : context.switchToHttp().getRequest<Request>();
  return actorOf(request);
});
