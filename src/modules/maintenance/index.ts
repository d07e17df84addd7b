export { MaintenanceModule } from 'src/modules/maintenance/maintenance.module';
