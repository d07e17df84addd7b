export {
  PruneHistory,
  type HistoryPruned,
  type HistoryRetention,
} from 'src/modules/maintenance/application/prune-history.use-case';
export { MaintenanceModule } from 'src/modules/maintenance/maintenance.module';
