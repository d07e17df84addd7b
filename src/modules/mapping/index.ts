export { MappingLocations, type StockLocationPair } from 'src/modules/mapping/application/mapping-locations.query';
export { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
export { MappingShops } from 'src/modules/mapping/application/mapping-shops';
export {
  OwnershipPolicyService,
  type ShopOwnershipPolicy,
} from 'src/modules/mapping/application/ownership-policy.service';
export {
  applyOrderMapping,
  type MappingDecision,
  type MappingToApply,
} from 'src/modules/mapping/domain/apply-order-mapping';
export type { OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
export { ownerOf, type OwnedEntity, type SyncOwner } from 'src/modules/mapping/domain/ownership-policy';
export { MappingAdminModule, MappingModule, MappingPolicyModule } from 'src/modules/mapping/mapping.module';
