export { OrdersModule } from 'src/modules/orders/orders.module';
