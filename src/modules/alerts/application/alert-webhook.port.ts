import type { AlertNotice } from 'src/modules/alerts/domain/alert-rules';

/** @description The operators' alert receiver (a signed outbound webhook: Slack or Teams through a relay, PagerDuty…). */
export interface AlertWebhookPort {
  /** True when ALERT_WEBHOOK_URL is set; false: nothing is sent and no episode is raised. */
  readonly configured: boolean;
  /** Delivers one notice; rejects when the receiver did not take it (no answer, or not 2xx): sent again later. */
  send(notice: AlertNotice): Promise<void>;
}

export const ALERT_WEBHOOK = Symbol('ALERT_WEBHOOK');
