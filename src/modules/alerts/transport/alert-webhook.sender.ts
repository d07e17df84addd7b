import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { AlertChannel } from 'src/modules/alerts/application/alert-channel.port';
import type { AlertNotice } from 'src/modules/alerts/domain/alert-rules';
import { signAlert } from 'src/modules/alerts/domain/sign-alert';

const TIMEOUT_MS = 10_000;

/** POSTs alert notices as JSON to ALERT_WEBHOOK_URL, signed (signAlert); the secret never leaves this class. */
@Injectable()
export class HttpAlertWebhook implements AlertChannel {
  readonly name = 'webhook';
  private readonly webhook?: { url: string; secret: string };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.webhook = config.alerts.webhook;
  }

  get configured(): boolean {
    return this.webhook !== undefined;
  }

  async send(notice: AlertNotice): Promise<void> {
    if (this.webhook === undefined) {
      return;
    }
    const body = JSON.stringify(notice);
    const timestamp = Math.floor(Date.now() / 1_000);
    const response = await fetch(this.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'erp-sync-alerts',
        'x-erp-sync-timestamp': String(timestamp),
        'x-erp-sync-signature': signAlert(body, timestamp, this.webhook.secret),
        // The same for a notice sent again after a failed delivery: receivers may drop the repeat.
        'x-erp-sync-delivery': `${notice.episodeId}:${notice.event}`,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // Read the answer so that the connection is released; its text is not logged (it may echo anything).
    await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`the alert webhook answered HTTP ${response.status}`);
    }
  }
}
