/** @description The conditions the product alerts on by itself (the Prometheus rules of ops/ cover more). */
export enum AlertRule {
  /** More than ALERT_DEAD_LETTERS_THRESHOLD messages dead-lettered within ALERT_DEAD_LETTERS_WINDOW_MINUTES. */
  DeadLetters = 'dead-letters',
  /** The ERP circuit open (or half-open: not yet closed again) for ALERT_ERP_CIRCUIT_OPEN_MINUTES. */
  ErpCircuitOpen = 'erp-circuit-open',
  /** Orders reached the ERP more than ALERT_ORDER_LAG_MINUTES after their webhook (the orders flow is behind). */
  OrderLag = 'order-lag',
  /** A read of the ERP's changes (products, prices, stock, shipments) failing or not run for ALERT_ERP_FEED_LAG_MINUTES. */
  ErpFeedLag = 'erp-feed-lag',
  /** The order reconciliation had to feed orders or refunds the webhooks missed (ALERT_RECONCILIATION_WINDOW_MINUTES). */
  ReconciliationGaps = 'reconciliation-gaps',
}

/** @description Where notices go: the signed webhook (Slack, Teams, PagerDuty through it) and e-mail. */
export type AlertChannelName = 'webhook' | 'email';

/**
 * @description One episode of a rule's condition: from the evaluation that first saw it true to the one that saw it
 * false again. `raisedAt` is set once the alert reached a first channel; `alertSentTo` and `recoverySentTo` name the
 * channels that have the alert and the recovery.
 */
export interface AlertEpisode {
  id: string;
  rule: AlertRule;
  startedAt: Date;
  raisedAt: Date | null;
  alertSentTo: readonly AlertChannelName[];
  recoverySentTo: readonly AlertChannelName[];
}

/** What the evaluator does about one rule this time. */
export type AlertStep =
  | { step: 'none' }
  /** The condition starts: remember since when (raise once it has lasted `holdMs`). */
  | { step: 'open'; raise: boolean }
  /** Deliver the alert to these channels: the condition lasted long enough, or an earlier delivery failed. */
  | { step: 'raise'; channels: AlertChannelName[] }
  /** The condition is over after an alert: deliver the recovery to these channels, then close the episode. */
  | { step: 'recover'; channels: AlertChannelName[] }
  /** The condition is over before it lasted long enough: close the episode; nothing was, or is, sent. */
  | { step: 'discard' };

/**
 * The one decision of the alerting: given whether the condition holds now, the rule's open episode (if any), how long
 * the condition must last and the channels configured, what to do. Each episode raises at most once per channel and
 * recovers at most once per channel, and only on the channels that had its alert; a channel that failed is tried
 * again at the next evaluation, the others are not sent the notice twice.
 */
export function nextAlertStep(
  holds: boolean,
  episode: AlertEpisode | undefined,
  now: Date,
  holdMs: number,
  channels: readonly AlertChannelName[],
): AlertStep {
  if (holds) {
    if (episode === undefined) {
      return { step: 'open', raise: holdMs <= 0 };
    }
    const due = episode.raisedAt !== null || now.getTime() - episode.startedAt.getTime() >= holdMs;
    const missing = channels.filter((c) => !episode.alertSentTo.includes(c));
    return due && missing.length > 0 ? { step: 'raise', channels: missing } : { step: 'none' };
  }
  if (episode === undefined) {
    return { step: 'none' };
  }
  if (episode.raisedAt === null) {
    return { step: 'discard' };
  }
  // Recovered where the alert went (a channel no longer configured included: it is dropped when it fails).
  return { step: 'recover', channels: episode.alertSentTo.filter((c) => !episode.recoverySentTo.includes(c)) };
}

/** @description What a channel receives: one alert or one recovery of one episode. */
export interface AlertNotice {
  event: 'alert' | 'recovery';
  rule: AlertRule;
  /** The same for the alert and the recovery of one episode. */
  episodeId: string;
  /** When the condition was first seen. */
  startedAt: string;
  /** When the condition was last seen over (recovery only). */
  recoveredAt?: string;
  summary: string;
  details: Record<string, number | string>;
}
