/** Every Bull queue and job of the product, with its payload type (immich's typed job catalogue). */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  PruneHistory = 'prune-history',
}

export interface JobPayloads {
  [JobName.PruneHistory]: { inboxRetentionDays: number; auditRetentionDays: number; deadLetterRetentionDays: number };
}

export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };

/** Repeatable schedules, registered by the scheduler role under fixed job ids. */
export const JOB_SCHEDULES: { [N in JobName]: { queue: QueueName; cron: string; data: JobPayloads[N] } } = {
  [JobName.PruneHistory]: {
    queue: QueueName.Maintenance,
    // Daily, off-peak. Inbox keys outlive Shopify's retry window (8 retries over 4 h) and late deliveries (~1 day).
    cron: '17 3 * * *',
    data: { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 },
  },
};
