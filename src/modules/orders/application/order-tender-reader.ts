import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { ErpPaymentDraft, ErpSalesOrderDraft } from 'src/modules/erp';
import { ORDER_TENDERS } from 'src/modules/orders/application/order-tenders.shopify-graphql';
import { mapShopifyTendersToErp, namesRecordedTender } from 'src/modules/orders/domain/map-shopify-tenders-to-erp';
import type { ShopifyOrderPayload } from 'src/modules/orders/domain/shopify-order.payload';
import { ShopifyAdminClients } from 'src/modules/shopify';

/**
 * The tenders of an order to record as ERP payments (docs/orders.md, "Tenders as ERP payments"). The orders webhooks
 * carry only `payment_gateway_names`: the transactions are read from the Admin API, and only when a name is in
 * ERP_PAYMENT_METHOD_MAP and the order is not cancelled, so any other order costs no extra call at all.
 */
@Injectable()
export class OrderTenderReader {
  constructor(
    private readonly shopify: ShopifyAdminClients,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'orders'>,
  ) {}

  async paymentsOf(
    shop: string,
    order: ShopifyOrderPayload,
    salesOrder: ErpSalesOrderDraft,
  ): Promise<ErpPaymentDraft[]> {
    const methods = this.config.orders.paymentMethodMap;
    if (salesOrder.status === 'cancelled' || !namesRecordedTender(order.payment_gateway_names, methods)) {
      return [];
    }
    const client = await this.shopify.forDomain(shop);
    const { data } = await client.request(ORDER_TENDERS, { id: `gid://shopify/Order/${order.id}` });
    const transactions = (data.order?.transactions ?? []).map((t) => ({
      id: t.id.replace(/^.*\//, ''),
      kind: t.kind,
      status: t.status,
      gateway: t.gateway,
      shopMoney: t.amountSet.shopMoney,
      presentmentMoney: t.amountSet.presentmentMoney,
      processedAt: t.processedAt,
      createdAt: t.createdAt,
    }));
    return mapShopifyTendersToErp(transactions, salesOrder, methods);
  }
}
