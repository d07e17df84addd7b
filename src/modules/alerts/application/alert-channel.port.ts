import type { AlertChannelName, AlertNotice } from 'src/modules/alerts/domain/alert-rules';

/**
 * @description One place operators are told: the signed outbound webhook (Slack or Teams through it, PagerDuty…) or
 * e-mail through SMTP.
 */
export interface AlertChannel {
  readonly name: AlertChannelName;
  /** True when its settings are given (ALERT_WEBHOOK_*, ALERT_SMTP_URL with ALERT_EMAIL_*); false: not used. */
  readonly configured: boolean;
  /** Delivers one notice; rejects when the receiver did not take it: sent again at the next evaluation. */
  send(notice: AlertNotice): Promise<void>;
}

/** Every alert channel (configured or not), in the order they are tried. */
export const ALERT_CHANNELS = Symbol('ALERT_CHANNELS');
