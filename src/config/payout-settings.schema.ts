import { IsNotEmpty, IsOptional, IsString, ValidateIf } from 'class-validator';
import { ErpConnectorSettings } from 'src/config/erp-connector-settings.schema';

const withBankAccount = (env: PayoutSettings): boolean => env.PAYOUTS_ERP_BANK_ACCOUNT !== undefined;

/**
 * The PAYOUTS_ERP_* variables (docs/payouts.md): Shopify Payments payouts → ERP bank deposits. Part of
 * EnvironmentVariables (through AlertSettings), kept apart for size. Unset bank account = payouts off.
 */
export class PayoutSettings extends ErpConnectorSettings {
  /** The ERP's bank account the payouts reach (NetSuite account internal id, Business Central bank account No.). */
  @IsOptional() @IsString() PAYOUTS_ERP_BANK_ACCOUNT?: string;
  /** The clearing account the synced orders were paid into (charges less refunds are taken from it). */
  @ValidateIf(withBankAccount) @IsString() @IsNotEmpty() PAYOUTS_ERP_CLEARING_ACCOUNT?: string;
  /** The expense account of Shopify Payments fees. */
  @ValidateIf(withBankAccount) @IsString() @IsNotEmpty() PAYOUTS_ERP_FEE_ACCOUNT?: string;
  /** Account of adjustments (reserves, billing debits, …); default: the clearing account. */
  @IsOptional() @IsString() PAYOUTS_ERP_ADJUSTMENT_ACCOUNT?: string;
  /** Account of disputes (chargebacks and their reversals); default: the clearing account. */
  @IsOptional() @IsString() PAYOUTS_ERP_DISPUTE_ACCOUNT?: string;
}
