import { Inject, Injectable, Logger } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ALERT_WEBHOOK, type AlertWebhookPort } from 'src/modules/alerts/application/alert-webhook.port';
import { AlertRule, nextAlertStep, type AlertEpisode, type AlertNotice } from 'src/modules/alerts/domain/alert-rules';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { CountRecentDeadLetters } from 'src/modules/dead-letters';
import { ERP_WRITE_GATE, type ErpWriteGate } from 'src/modules/erp';

/** @description One rule as evaluated now. */
interface Observation {
  rule: AlertRule;
  holds: boolean;
  /** How long the condition must last before it is raised. */
  holdMs: number;
  summary: (episode: AlertEpisode) => string;
  details: Record<string, number | string>;
}

export type EvaluateAlertsResult =
  | { ran: false; reason: string }
  | { ran: true; sent: Array<Pick<AlertNotice, 'event' | 'rule' | 'episodeId'>>; failed: number };

/**
 * Evaluates the alert rules (scheduler role, every ALERT_CHECK_INTERVAL_SECONDS) and delivers what changed: an
 * alert once per episode of a condition, and its recovery when the condition is over. An episode is recorded in
 * PostgreSQL before anything is sent and marked after each delivery, so a restart neither repeats nor loses one; a
 * failed delivery is sent again by the next evaluation. One evaluation at a time across processes.
 *
 * The ERP circuit is this process's own breaker: the scheduler's ERP reads go through it, so it opens in an ERP
 * outage like the workers' (docs/operations.md).
 */
@Injectable()
export class EvaluateAlerts {
  private readonly logger = new Logger(EvaluateAlerts.name);

  constructor(
    private readonly episodes: AlertEpisodeRepository,
    @Inject(ALERT_WEBHOOK) private readonly webhook: AlertWebhookPort,
    private readonly deadLetters: CountRecentDeadLetters,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly locks: AdvisoryLocks,
  ) {}

  async execute(now: Date = new Date()): Promise<EvaluateAlertsResult> {
    if (!this.webhook.configured) {
      return { ran: false, reason: 'ALERT_WEBHOOK_URL is not set' };
    }
    const result = await this.locks.tryExclusive('alerts:evaluate', () => this.evaluate(now));
    return result ?? { ran: false, reason: 'another evaluation is running' };
  }

  private async observe(now: Date): Promise<Observation[]> {
    const { threshold, windowMs } = this.config.alerts.deadLetters;
    const windowMinutes = Math.round(windowMs / 60_000);
    const deadLetters = await this.deadLetters.execute(new Date(now.getTime() - windowMs));
    const circuit = this.gate.circuitState;
    const connector = this.config.erp.connector;
    const openMinutes = Math.round(this.config.alerts.erpCircuitOpenMs / 60_000);
    return [
      {
        rule: AlertRule.DeadLetters,
        holds: deadLetters > threshold,
        holdMs: 0,
        summary: () =>
          `${deadLetters} messages dead-lettered in the last ${windowMinutes} min (alert above ${threshold})`,
        details: { deadLetters, threshold, windowMinutes },
      },
      {
        rule: AlertRule.ErpCircuitOpen,
        holds: circuit !== 'closed',
        holdMs: this.config.alerts.erpCircuitOpenMs,
        summary: (episode) =>
          `the ${connector} ERP circuit has been ${circuit} since ${episode.startedAt.toISOString()} (alert after ${openMinutes} min)`,
        details: { connector, circuit, thresholdMinutes: openMinutes },
      },
    ];
  }

  private async evaluate(now: Date): Promise<EvaluateAlertsResult> {
    const sent: Array<Pick<AlertNotice, 'event' | 'rule' | 'episodeId'>> = [];
    let failed = 0;
    for (const observation of await this.observe(now)) {
      let episode = await this.episodes.open(observation.rule);
      const step = nextAlertStep(observation.holds, episode, now, observation.holdMs);
      if (step.step === 'none') {
        continue;
      }
      if (step.step === 'discard' && episode !== undefined) {
        await this.episodes.end(episode.id, now, false);
        continue;
      }
      if (step.step === 'open') {
        episode = await this.episodes.start(observation.rule, now, observation.details);
        if (!step.raise) {
          continue;
        }
      }
      if (episode === undefined) {
        continue;
      }
      const event = step.step === 'recover' ? 'recovery' : 'alert';
      const notice: AlertNotice = {
        event,
        rule: observation.rule,
        episodeId: episode.id,
        startedAt: episode.startedAt.toISOString(),
        ...(event === 'recovery' ? { recoveredAt: now.toISOString() } : {}),
        summary: event === 'recovery' ? `recovered: ${observation.summary(episode)}` : observation.summary(episode),
        details: observation.details,
      };
      try {
        await this.webhook.send(notice);
      } catch (error: unknown) {
        failed++;
        this.logger.warn(
          { rule: observation.rule, episodeId: episode.id, event, err: errorMessage(error) },
          'could not deliver the alert: sent again at the next evaluation',
        );
        continue;
      }
      if (event === 'recovery') {
        await this.episodes.end(episode.id, now, true);
      } else {
        await this.episodes.markRaised(episode.id, now, observation.details);
      }
      sent.push({ event, rule: observation.rule, episodeId: episode.id });
      this.logger.log({ rule: observation.rule, episodeId: episode.id, event }, notice.summary);
    }
    return { ran: true, sent, failed };
  }
}
