import { JobName } from 'src/common/jobs/job-catalogue';

/**
 * @description The sync flows an operator can pause and resume per shop. `orders` and `refunds` are consumed from
 * the order partitions as their webhooks arrive; the others run on schedules of the scheduler role.
 */
export enum Flow {
  Orders = 'orders',
  Refunds = 'refunds',
  Products = 'products',
  Inventory = 'inventory',
  Fulfilments = 'fulfilments',
  OrderReconciliation = 'order-reconciliation',
  Payouts = 'payouts',
}

export const ALL_FLOWS: readonly Flow[] = Object.values(Flow);

/** The repeatable jobs that make up each scheduled flow (the catalogue's names); none for the consumed ones. */
export const FLOW_JOBS: { readonly [F in Flow]: readonly JobName[] } = {
  [Flow.Orders]: [],
  [Flow.Refunds]: [],
  [Flow.Products]: [JobName.SyncProducts],
  [Flow.Inventory]: [JobName.InventoryPushDelta, JobName.InventoryReconcile],
  [Flow.Fulfilments]: [JobName.FulfilShipments],
  [Flow.OrderReconciliation]: [JobName.ReconcileOrders],
  [Flow.Payouts]: [JobName.DepositPayouts],
};

/** @description Who paused a shop's flow, when and why. */
export interface FlowPause {
  shop: string;
  flow: Flow;
  pausedAt: Date;
  pausedBy: string;
  reason: string | null;
}

/** @description One registered run of a scheduled flow, as the scheduler registered it. */
export interface FlowScheduleEntry {
  job: string;
  /** A cron pattern, or null for an interval. */
  cron: string | null;
  everyMs: number | null;
  nextRunAt: Date | null;
}

/** @description A shop's flow as operators see it: running or paused, and when it runs. */
export interface FlowState {
  shop: string;
  flow: Flow;
  paused: boolean;
  pausedAt: Date | null;
  pausedBy: string | null;
  reason: string | null;
  /** `continuous` (consumed as webhooks arrive) or `scheduled`. */
  trigger: 'continuous' | 'scheduled';
  /** The repeatable jobs registered for a scheduled flow (empty until the scheduler role has registered them). */
  schedule: FlowScheduleEntry[];
}

/**
 * The flow of an order-partition message: refunds travel with their order but pause on their own; returns
 * (`returns/*`, the ERP's return documents) pause with the refunds.
 */
export function flowOfOrderTopic(topic: string): Flow.Orders | Flow.Refunds {
  return topic === 'refunds/create' || topic.startsWith('returns/') ? Flow.Refunds : Flow.Orders;
}

/** The state of every flow of one shop, from its stored pauses and the registered schedules. */
export function flowStates(
  shop: string,
  pauses: readonly FlowPause[],
  schedules: ReadonlyMap<string, FlowScheduleEntry[]>,
): FlowState[] {
  return ALL_FLOWS.map((flow) => {
    const pause = pauses.find((p) => p.flow === flow);
    return {
      shop,
      flow,
      paused: pause !== undefined,
      pausedAt: pause?.pausedAt ?? null,
      pausedBy: pause?.pausedBy ?? null,
      reason: pause?.reason ?? null,
      trigger: FLOW_JOBS[flow].length === 0 ? 'continuous' : 'scheduled',
      schedule: FLOW_JOBS[flow].flatMap((job) => schedules.get(job) ?? []),
    };
  });
}
