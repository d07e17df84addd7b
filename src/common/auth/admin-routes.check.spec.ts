import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { AdminRole } from 'src/common/auth/admin-role';
import { checkAdminHandlers, discoverAdminHandlers } from 'src/common/auth/admin-routes.check';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { APP_CONFIG } from 'src/config/app-config';

@Resolver()
class DeclaredResolver {
  @Query(() => String)
  @RequireRole(AdminRole.Viewer)
  things(): string {
    return '';
  }

  @Mutation(() => String)
  @RequireRole(AdminRole.Operator)
  retryThing(): string {
    return '';
  }

  @ResolveField(() => String)
  detail(): string {
    return '';
  }

  helper(): void {}
}

@Resolver()
@UseGuards(AdminApiKeyGuard)
class ForgetfulResolver {
  @Mutation(() => String)
  changeConfig(): string {
    return '';
  }
}

@Controller('admin/widgets')
class WidgetController {
  @Get()
  @RequireRole(AdminRole.Viewer)
  list(): string {
    return '';
  }

  @Post()
  create(): string {
    return '';
  }
}

@Controller('health')
class PublicController {
  @Get()
  live(): string {
    return 'ok';
  }
}

@Module({
  imports: [DiscoveryModule],
  providers: [DeclaredResolver, ForgetfulResolver, { provide: APP_CONFIG, useValue: { admin: { apiKeys: [] } } }],
  controllers: [WidgetController, PublicController],
})
class FixtureModule {}

describe(discoverAdminHandlers.name, () => {
  it('finds every GraphQL operation and /admin route with what it declares, and nothing else', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FixtureModule] }).compile();

    const found = discoverAdminHandlers(moduleRef.get(DiscoveryService), new MetadataScanner(), new Reflector());

    expect(found.sort((a, b) => a.handler.localeCompare(b.handler))).toEqual([
      { handler: 'DeclaredResolver.retryThing', access: { role: AdminRole.Operator, allShops: false }, guarded: true },
      { handler: 'DeclaredResolver.things', access: { role: AdminRole.Viewer, allShops: false }, guarded: true },
      { handler: 'ForgetfulResolver.changeConfig', access: undefined, guarded: true },
      { handler: 'WidgetController.create', access: undefined, guarded: false },
      { handler: 'WidgetController.list', access: { role: AdminRole.Viewer, allShops: false }, guarded: true },
    ]);
    await moduleRef.close();
  });
});

describe(checkAdminHandlers.name, () => {
  it('stops the boot naming each handler without a role or without the guard', () => {
    expect(() =>
      checkAdminHandlers([
        { handler: 'A.ok', access: { role: AdminRole.Viewer, allShops: false }, guarded: true },
        { handler: 'B.noRole', access: undefined, guarded: true },
        { handler: 'C.bare', access: undefined, guarded: false },
      ]),
    ).toThrow(
      'Admin API handlers without access control: B.noRole declares no role (@RequireRole); ' +
        'C.bare declares no role (@RequireRole); C.bare is not behind AdminApiKeyGuard',
    );
  });

  it('passes when every handler declares a role behind the guard', () => {
    expect(() =>
      checkAdminHandlers([{ handler: 'A.ok', access: { role: AdminRole.Admin, allShops: true }, guarded: true }]),
    ).not.toThrow();
  });
});
