import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { callerOf, requestOf } from 'src/common/auth/admin-caller';
import { bearerToken } from 'src/common/auth/bearer-keys';

/**
 * Who made an admin request, for the "who" of a change (a mapping version, a policy, a paused flow): a stored API key by its name
 * and id (`api-key:ops (#7)`); a key of ADMIN_API_KEYS, which has no name of its own, by a fingerprint of the key —
 * the first 8 hex digits of its SHA-256, which tells keys apart in the history without revealing anything of it.
 */
export function actorOf(context: ExecutionContext): string {
  const caller = callerOf(context);
  if (caller?.keyId !== undefined && caller.keyId !== null) {
    return `api-key:${caller.name} (#${caller.keyId})`;
  }
  const token = bearerToken(requestOf(context)?.headers?.authorization);
  return token === undefined
    ? 'unknown'
    : `api-key:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8)}`;
}

/** Resolver / controller parameter: the caller, as `actorOf` names it. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => actorOf(context));
