export {
  HandleInventoryLevelUpdate,
  type InventoryLevelUpdate,
  type InventoryLevelUpdateOutcome,
} from 'src/modules/inventory/application/handle-inventory-level-update.use-case';
export { decodeInventoryLevelUpdate } from 'src/modules/inventory/domain/decode-inventory-level-update';
export { InventoryAdminModule, InventoryEventsModule, InventoryModule } from 'src/modules/inventory/inventory.module';
