import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { AlertChannel } from 'src/modules/alerts/application/alert-channel.port';
import type { AlertNotice } from 'src/modules/alerts/domain/alert-rules';

const TIMEOUT_MS = 10_000;

/**
 * E-mails alert notices through the SMTP server of ALERT_SMTP_URL (nodemailer: STARTTLS when the server offers it,
 * `smtps://` for implicit TLS) from ALERT_EMAIL_FROM to ALERT_EMAIL_TO. The URL's credentials never leave this class.
 */
@Injectable()
export class SmtpAlertEmail implements AlertChannel, OnApplicationShutdown {
  readonly name = 'email';
  private readonly transport?: Transporter;
  private readonly from: string;
  private readonly to: readonly string[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const email = config.alerts.email;
    this.from = email?.from ?? '';
    this.to = email?.to ?? [];
    this.transport =
      email === undefined
        ? undefined
        : createTransport({
            url: email.smtpUrl,
            connectionTimeout: TIMEOUT_MS,
            greetingTimeout: TIMEOUT_MS,
            socketTimeout: TIMEOUT_MS,
          });
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  async send(notice: AlertNotice): Promise<void> {
    if (this.transport === undefined) {
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.from,
        to: [...this.to],
        subject: `[erp-sync] ${notice.event === 'alert' ? 'ALERT' : 'RECOVERED'} ${notice.rule}: ${notice.summary}`,
        text: emailText(notice),
        headers: { 'X-Erp-Sync-Delivery': `${notice.episodeId}:${notice.event}` },
      });
    } catch (error: unknown) {
      // The SMTP server's answer or the socket's error, never the URL (it holds the credentials).
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
      const response =
        typeof error === 'object' && error !== null && 'responseCode' in error ? ` ${String(error.responseCode)}` : '';
      throw new Error(`the alert e-mail was not sent (SMTP ${code}${response})`);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

/** The notice as plain text: the summary, then every field, one per line. */
function emailText(notice: AlertNotice): string {
  const lines = [
    notice.summary,
    '',
    `event: ${notice.event}`,
    `rule: ${notice.rule}`,
    `episode: ${notice.episodeId}`,
    `started at: ${notice.startedAt}`,
    ...(notice.recoveredAt === undefined ? [] : [`recovered at: ${notice.recoveredAt}`]),
    ...Object.entries(notice.details).map(([key, value]) => `${key}: ${String(value)}`),
  ];
  return `${lines.join('\n')}\n`;
}
