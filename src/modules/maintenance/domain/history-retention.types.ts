/**
 * @description How long each history is kept, in days: the prune job's payload (the webhook inbox, the sync audit
 * log, and dead letters already retried).
 */
export interface HistoryRetention {
  inboxRetentionDays: number;
  auditRetentionDays: number;
  deadLetterRetentionDays: number;
}

/** @description How many rows each owner deleted in one prune. */
export interface HistoryPruned {
  inbox: number;
  audit: number;
  deadLetters: number;
}
