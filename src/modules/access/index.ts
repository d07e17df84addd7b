export { AccessModule } from 'src/modules/access/access.module';
