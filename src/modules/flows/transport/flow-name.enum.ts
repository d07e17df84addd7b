import { registerEnumType } from '@nestjs/graphql';
import type { Flow } from 'src/modules/flows/domain/flow';

/**
 * The flows as the admin APIs take and show them: `orders`, `order-reconciliation`… in REST, `ORDERS`,
 * `ORDER_RECONCILIATION`… in GraphQL (GraphQL publishes the member names).
 */
export enum FlowValue {
  ORDERS = 'orders',
  REFUNDS = 'refunds',
  PRODUCTS = 'products',
  INVENTORY = 'inventory',
  FULFILMENTS = 'fulfilments',
  ORDER_RECONCILIATION = 'order-reconciliation',
  PAYOUTS = 'payouts',
}

registerEnumType(FlowValue, {
  name: 'Flow',
  description:
    'ORDERS and REFUNDS: Shopify → ERP, consumed as webhooks arrive. PRODUCTS, INVENTORY, FULFILMENTS: ERP → Shopify ' +
    'pushes, scheduled. ORDER_RECONCILIATION: the missed-webhook check, scheduled. PAYOUTS: Shopify Payments ' +
    'payouts → ERP bank deposits, scheduled.',
});

/** The domain's flow of an API value (the same strings: flow-name.enum.spec.ts). */
export function toFlow(value: FlowValue): Flow {
  return value as string as Flow;
}
