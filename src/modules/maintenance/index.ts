export { PruneHistory } from 'src/modules/maintenance/application/prune-history.use-case';
export type { HistoryPruned, HistoryRetention } from 'src/modules/maintenance/domain/history-retention.types';
export { MaintenanceModule } from 'src/modules/maintenance/maintenance.module';
