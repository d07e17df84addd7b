import { Injectable } from '@nestjs/common';
import {
  ShipmentFulfilmentRepository,
  type OrderShipmentFulfilment,
} from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';

/**
 * The ERP shipments of one Shopify order this module took up and the Shopify fulfilments they made. The writer keeps
 * the order as its GID (`gid://shopify/Order/123`); the numeric id is looked up too, so either form finds it.
 */
@Injectable()
export class ReadOrderFulfilments {
  constructor(private readonly repository: ShipmentFulfilmentRepository) {}

  execute(shop: string, shopifyOrderId: string): Promise<OrderShipmentFulfilment[]> {
    return this.repository.ofOrder(shop, [`gid://shopify/Order/${shopifyOrderId}`, shopifyOrderId]);
  }
}
