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
  /** Records of creates in doubt that have settled (kept an hour past their settle time, whatever the retention). */
  erpCreateDoubts: number;
}
