import { PATH_METADATA } from '@nestjs/common/constants';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADMIN_ACCESS } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';

/**
 * The boot check (`AdminRoutesCheck`) without a boot: every GraphQL operation and every route under /admin of every
 * resolver and controller in src/ declares a role with `@RequireRole`, which puts it behind the admin API key guard.
 */
const root = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(resolver|controller)\.ts$/.test(name) ? [path] : [];
  });
}

describe('admin handlers', () => {
  it('every GraphQL operation and /admin route declares a role behind the admin API key guard', async () => {
    const undeclared: string[] = [];
    let checked = 0;
    for (const file of files(join(root, 'src'))) {
      const exported = (await import(file)) as Record<string, unknown>;
      for (const type of Object.values(exported).filter(
        (v): v is abstract new () => unknown => typeof v === 'function',
      )) {
        const classPath = Reflect.getMetadata(PATH_METADATA, type) as unknown;
        const adminController = typeof classPath === 'string' && /^\/?admin(\/|$)/.test(classPath);
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = (type.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof handler !== 'function') {
            continue;
          }
          const operation = Reflect.getMetadata('graphql:resolver_type', handler) as unknown;
          const isOperation = operation === 'Query' || operation === 'Mutation' || operation === 'Subscription';
          const isRoute = adminController && Reflect.getMetadata(PATH_METADATA, handler) !== undefined;
          if (!isOperation && !isRoute) {
            continue;
          }
          checked += 1;
          const guards = (Reflect.getMetadata('__guards__', handler) as unknown[] | undefined) ?? [];
          if (Reflect.getMetadata(ADMIN_ACCESS, handler) === undefined || !guards.includes(AdminApiKeyGuard)) {
            undeclared.push(`${relative(root, file)}: ${type.name}.${name}`);
          }
        }
      }
    }
    expect(undeclared).toEqual([]);
    // The walk finds what it should: the key, dead-letter, shop and mapping operations at least.
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});
