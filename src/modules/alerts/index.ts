export { AlertsModule } from 'src/modules/alerts/alerts.module';
