import { ORDER_PARTITIONS, orderQueueName } from 'src/common/messaging/topology';

/** FNV-1a, 32 bit: stable across processes and versions, so one order always lands in the same partition. */
export function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The routing key (= queue name) of the partition that carries every event of this order. */
export function orderRoutingKey(orderId: string): string {
  return orderQueueName(fnv1a(orderId) % ORDER_PARTITIONS);
}
