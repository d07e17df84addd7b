import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import type { AdminCaller } from 'src/common/auth/admin-role';

/** The caller the guard admitted, per request (a WeakMap: nothing to declare on Express's Request type). */
const callers = new WeakMap<object, AdminCaller>();

/** The HTTP request of a REST or GraphQL execution context. */
export function requestOf(context: ExecutionContext): Request | undefined {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: Request }>().req;
  }
  return context.switchToHttp().getRequest<Request>();
}

export function rememberCaller(request: object, caller: AdminCaller): void {
  callers.set(request, caller);
}

export function callerOf(context: ExecutionContext): AdminCaller | undefined {
  const request = requestOf(context);
  return request === undefined ? undefined : callers.get(request);
}

/**
 * The admitted caller of an admin handler (`@RequireRole` runs the guard first). Throws if there is none: a handler
 * that asks for its caller without the guard is a bug, not an anonymous request.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AdminCaller => {
  const caller = callerOf(context);
  if (caller === undefined) {
    throw new Error('@Caller() used on a handler without @RequireRole');
  }
  return caller;
});
