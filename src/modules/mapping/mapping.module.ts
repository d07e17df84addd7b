import { Module } from '@nestjs/common';
import { ErpModule } from 'src/modules/erp';
import { ActivateMappingVersion } from 'src/modules/mapping/application/activate-mapping-version.use-case';
import { GetOrderMapping } from 'src/modules/mapping/application/get-order-mapping.query';
import { MappingLocations } from 'src/modules/mapping/application/mapping-locations.query';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { RollBackMappingVersion } from 'src/modules/mapping/application/roll-back-mapping-version.use-case';
import { SaveMappingVersion } from 'src/modules/mapping/application/save-mapping-version.use-case';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';
import { MappingController } from 'src/modules/mapping/transport/mapping.controller';
import { MappingResolver } from 'src/modules/mapping/transport/mapping.resolver';
import { ShopsModule } from 'src/modules/shops';

/**
 * What the ERP → Shopify writers read (products, inventory, fulfilments): the source-of-truth policy and the stock
 * direction of the location pairs. No ERP connector needed.
 */
@Module({
  imports: [ShopsModule],
  providers: [
    OwnershipPolicyRepository,
    MappingShops,
    OwnershipPolicyService,
    MappingVersionRepository,
    MappingLocations,
  ],
  exports: [OwnershipPolicyService, MappingShops, MappingLocations],
})
export class MappingPolicyModule {}

/**
 * Per-shop mapping configuration (versioned) and source-of-truth policy: the reads every writer makes (the order
 * writer's active mapping, each writer's owners) and the use cases of the admin API. Any role.
 */
@Module({
  imports: [ErpModule, MappingPolicyModule],
  providers: [
    MappingVersionRepository,
    MappingReader,
    GetOrderMapping,
    SaveMappingVersion,
    ActivateMappingVersion,
    RollBackMappingVersion,
  ],
  exports: [
    MappingReader,
    GetOrderMapping,
    SaveMappingVersion,
    ActivateMappingVersion,
    RollBackMappingVersion,
    MappingPolicyModule,
  ],
})
export class MappingModule {}

/** The operators' mapping API (api role): GraphQL and REST under /admin/shops/{shop}/…. */
@Module({ imports: [MappingModule], providers: [MappingResolver], controllers: [MappingController] })
export class MappingAdminModule {}
