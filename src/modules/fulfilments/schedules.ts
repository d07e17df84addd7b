import { JobName, QueueName, type RepeatableJob } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/** Fulfils ERP shipments on the ERP poll interval; a shipments read that changed rows also enqueues a run at once. */
export function fulfilShipmentsSchedule(intervalMs: number): RepeatableJob<JobName.FulfilShipments> {
  return {
    id: JobName.FulfilShipments,
    queue: QueueName.ShopifyFulfilments,
    name: JobName.FulfilShipments,
    repeat: { every: intervalMs },
    data: {},
  };
}

/** The fulfilments module's schedules: the fulfilment run. */
export function fulfilmentSchedules(config: AppConfig): ModuleSchedules {
  return { jobs: [fulfilShipmentsSchedule(config.erp.pollIntervalSeconds * 1_000)] };
}
