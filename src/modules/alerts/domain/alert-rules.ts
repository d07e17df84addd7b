/** @description The conditions the product alerts on by itself (the Prometheus rules of ops/ cover more). */
export enum AlertRule {
  /** More than ALERT_DEAD_LETTERS_THRESHOLD messages dead-lettered within ALERT_DEAD_LETTERS_WINDOW_MINUTES. */
  DeadLetters = 'dead-letters',
  /** The ERP circuit open (or half-open: not yet closed again) for ALERT_ERP_CIRCUIT_OPEN_MINUTES. */
  ErpCircuitOpen = 'erp-circuit-open',
}

/**
 * @description One episode of a rule's condition: from the evaluation that first saw it true to the one that saw it
 * false again. `raisedAt` is set once the alert was delivered, `recoveredAt` once its recovery was.
 */
export interface AlertEpisode {
  id: string;
  rule: AlertRule;
  startedAt: Date;
  raisedAt: Date | null;
}

/** What the evaluator does about one rule this time. */
export type AlertStep =
  | { step: 'none' }
  /** The condition starts: remember since when (raise once it has lasted `holdMs`). */
  | { step: 'open'; raise: boolean }
  /** The condition has lasted long enough, or an earlier delivery failed: deliver the alert. */
  | { step: 'raise' }
  /** The condition is over after an alert: deliver the recovery, then close the episode. */
  | { step: 'recover' }
  /** The condition is over before it lasted long enough: close the episode; nothing was, or is, sent. */
  | { step: 'discard' };

/**
 * The one decision of the alerting: given whether the condition holds now, the rule's open episode (if any) and how
 * long the condition must last, what to do. Each episode raises at most once and recovers at most once, and never
 * recovers what it did not raise.
 */
export function nextAlertStep(holds: boolean, episode: AlertEpisode | undefined, now: Date, holdMs: number): AlertStep {
  if (holds) {
    if (episode === undefined) {
      return { step: 'open', raise: holdMs <= 0 };
    }
    return episode.raisedAt === null && now.getTime() - episode.startedAt.getTime() >= holdMs
      ? { step: 'raise' }
      : { step: 'none' };
  }
  if (episode === undefined) {
    return { step: 'none' };
  }
  return episode.raisedAt === null ? { step: 'discard' } : { step: 'recover' };
}

/** @description What the webhook receives (JSON): one alert or one recovery of one episode. */
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
