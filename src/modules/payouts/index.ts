export {
  DepositShopifyPayouts,
  type DepositShopifyPayoutsResult,
} from 'src/modules/payouts/application/deposit-shopify-payouts.use-case';
export { PayoutsAdminModule, PayoutsModule } from 'src/modules/payouts/payouts.module';
