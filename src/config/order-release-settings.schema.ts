import { IsIn, IsOptional } from 'class-validator';
import { AlertSettings } from 'src/config/alert-settings.schema';

/** When an order is first written to the ERP (docs/orders.md, "When an order goes to the ERP"). */
export const ORDER_TRIGGERS = ['created', 'paid', 'fulfilled'] as const;

/** ORDER_TRIGGER and HOLD_HIGH_RISK_ORDERS: part of EnvironmentVariables, kept apart for size. */
export class OrderReleaseSettings extends AlertSettings {
  /**
   * The bootstrap shop's order trigger while none is stored for it through the admin API: an order is first written
   * to the ERP when it is created, once paid, or once fulfilled (docs/orders.md, "When an order goes to the ERP").
   */
  @IsOptional()
  @IsIn(ORDER_TRIGGERS)
  ORDER_TRIGGER: (typeof ORDER_TRIGGERS)[number] = 'created';

  /** The bootstrap shop's high-risk hold while none is stored for it: hold orders Shopify rates HIGH before the ERP. */
  @IsOptional()
  @IsIn(['true', 'false'])
  HOLD_HIGH_RISK_ORDERS: 'true' | 'false' = 'false';
}
