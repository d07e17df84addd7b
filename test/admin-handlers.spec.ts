import { PATH_METADATA } from '@nestjs/common/constants';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADMIN_ACCESS, type AdminAccess } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { MappingController } from 'src/modules/mapping/transport/mapping.controller';
import { MappingResolver } from 'src/modules/mapping/transport/mapping.resolver';

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

  it('mapping: viewers read, an operator rolls back, an admin saves, activates drafts and sets owners', () => {
    const roleOf = (type: { prototype: object }, name: string): string | undefined =>
      (
        Reflect.getMetadata(ADMIN_ACCESS, (type.prototype as Record<string, unknown>)[name] as object) as
          AdminAccess | undefined
      )?.role;
    const roles = (type: { prototype: object }, names: string[]) => names.map((name) => [name, roleOf(type, name)]);
    expect(
      roles(MappingResolver, [
        'orderMapping',
        'orderMappingVersions',
        'ownershipPolicy',
        'rollbackOrderMapping',
        'saveOrderMapping',
        'activateOrderMapping',
        'setOwnershipPolicy',
      ]),
    ).toEqual([
      ['orderMapping', 'viewer'],
      ['orderMappingVersions', 'viewer'],
      ['ownershipPolicy', 'viewer'],
      ['rollbackOrderMapping', 'operator'],
      ['saveOrderMapping', 'admin'],
      ['activateOrderMapping', 'admin'],
      ['setOwnershipPolicy', 'admin'],
    ]);
    expect(
      roles(MappingController, [
        'active',
        'versions',
        'rollbackVersion',
        'saveVersion',
        'activateVersion',
        'setPolicy',
      ]),
    ).toEqual([
      ['active', 'viewer'],
      ['versions', 'viewer'],
      ['rollbackVersion', 'operator'],
      ['saveVersion', 'admin'],
      ['activateVersion', 'admin'],
      ['setPolicy', 'admin'],
    ]);
  });
});
