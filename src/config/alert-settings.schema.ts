import { IsOptional, IsString, IsUrl, Matches, MinLength, ValidateIf } from 'class-validator';
import { IntSetting, MIN_API_KEY_LENGTH, urlOptions } from 'src/config/env-validators';
import { PayoutSettings } from 'src/config/payout-settings.schema';

/** The ALERT_* variables (docs/operations.md, "Alerts"): part of EnvironmentVariables, kept apart for size. */
export class AlertSettings extends PayoutSettings {
  /** Where alerts (and their recoveries) are POSTed, signed with ALERT_WEBHOOK_SECRET; unset, no alert is sent. */
  @IsOptional() @IsUrl(urlOptions) ALERT_WEBHOOK_URL?: string;
  /** HMAC-SHA256 key of the alert webhook's `X-Erp-Sync-Signature`; required with ALERT_WEBHOOK_URL. */
  @ValidateIf((env: AlertSettings) => env.ALERT_WEBHOOK_URL !== undefined)
  @IsString()
  @MinLength(MIN_API_KEY_LENGTH)
  ALERT_WEBHOOK_SECRET?: string;
  /** Alert when more than this many messages were dead-lettered within ALERT_DEAD_LETTERS_WINDOW_MINUTES. */
  @IntSetting(0, 100_000) ALERT_DEAD_LETTERS_THRESHOLD: number = 10;
  @IntSetting(1, 1440) ALERT_DEAD_LETTERS_WINDOW_MINUTES: number = 15;
  /** Alert when the ERP circuit has been open (or half-open: not closed again) this long. */
  @IntSetting(1, 1440) ALERT_ERP_CIRCUIT_OPEN_MINUTES: number = 5;
  /** How often the scheduler evaluates the alert rules. */
  @IntSetting(5, 3600) ALERT_CHECK_INTERVAL_SECONDS: number = 30;
  /** Alert when orders reach the ERP this long after their webhook (95th percentile of the last check interval). */
  @IntSetting(1, 1440) ALERT_ORDER_LAG_MINUTES: number = 15;
  /** Alert when a read of the ERP's changes (items, prices, stock, shipments) has not succeeded for this long. */
  @IntSetting(1, 10080) ALERT_ERP_FEED_LAG_MINUTES: number = 60;
  /** Alert while the order reconciliation fed orders the webhooks missed within this window. */
  @IntSetting(1, 10080) ALERT_RECONCILIATION_WINDOW_MINUTES: number = 60;
  /**
   * The SMTP server alerts are e-mailed through: `smtp://user:password@host:587` (STARTTLS when offered) or
   * `smtps://…:465`; with ALERT_EMAIL_FROM and ALERT_EMAIL_TO. Unset, no e-mail is sent.
   */
  @IsOptional()
  @IsUrl({ ...urlOptions, protocols: ['smtp', 'smtps'] })
  ALERT_SMTP_URL?: string;
  /** The sender of alert e-mails (`alerts@example.com` or `ERP sync <alerts@example.com>`); required with ALERT_SMTP_URL. */
  @ValidateIf((env: AlertSettings) => env.ALERT_SMTP_URL !== undefined)
  @Matches(/^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+>?$/, { message: 'must be an e-mail address' })
  ALERT_EMAIL_FROM?: string;
  /** Comma-separated recipients of alert e-mails; required with ALERT_SMTP_URL. */
  @ValidateIf((env: AlertSettings) => env.ALERT_SMTP_URL !== undefined)
  @Matches(/^\s*[^\s@,]+@[^\s@,]+(\s*,\s*[^\s@,]+@[^\s@,]+)*\s*$/, {
    message: 'must be one or more e-mail addresses, comma-separated',
  })
  ALERT_EMAIL_TO?: string;
}
