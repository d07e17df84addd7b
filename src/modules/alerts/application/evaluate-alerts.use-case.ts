import { Inject, Injectable, Logger } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ALERT_CHANNELS, type AlertChannel } from 'src/modules/alerts/application/alert-channel.port';
import {
  AlertRule,
  nextAlertStep,
  type AlertChannelName,
  type AlertEpisode,
  type AlertNotice,
} from 'src/modules/alerts/domain/alert-rules';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { ReadOrderLatency } from 'src/modules/audit';
import { CountRecentDeadLetters } from 'src/modules/dead-letters';
import { ERP_WRITE_GATE, ReadErpFeedRuns, type ErpWriteGate } from 'src/modules/erp';
import { CountReconciliationGaps } from 'src/modules/orders';

/** @description One rule as evaluated now. */
interface Observation {
  rule: AlertRule;
  /** Whether the condition holds; undefined: nothing to judge by this time (the episode stays as it is). */
  holds: boolean | undefined;
  /** How long the condition must last before it is raised. */
  holdMs: number;
  summary: (episode: AlertEpisode) => string;
  details: Record<string, number | string>;
}

export type EvaluateAlertsResult =
  | { ran: false; reason: string }
  | {
      ran: true;
      sent: Array<Pick<AlertNotice, 'event' | 'rule' | 'episodeId'> & { channel: AlertChannelName }>;
      failed: number;
    };

/** The shortest window the orders' latency is judged on (a check every 5 s would otherwise judge a handful). */
const MIN_LATENCY_WINDOW_MS = 60_000;

/**
 * Evaluates the alert rules (scheduler role, every ALERT_CHECK_INTERVAL_SECONDS) and delivers what changed to every
 * configured channel (the signed webhook, e-mail): an alert once per episode of a condition, and its recovery when
 * the condition is over. An episode is recorded in PostgreSQL before anything is sent and marked after each delivery
 * to each channel, so a restart neither repeats nor loses one; a channel that failed is sent the notice again by the
 * next evaluation, the channels that took it are not. One evaluation at a time across processes.
 *
 * The ERP circuit is this process's own breaker: the scheduler's ERP reads go through it, so it opens in an ERP
 * outage like the workers' (docs/operations.md).
 */
@Injectable()
export class EvaluateAlerts {
  private readonly logger = new Logger(EvaluateAlerts.name);

  constructor(
    private readonly episodes: AlertEpisodeRepository,
    @Inject(ALERT_CHANNELS) private readonly channels: readonly AlertChannel[],
    private readonly deadLetters: CountRecentDeadLetters,
    private readonly orderLatency: ReadOrderLatency,
    private readonly erpFeeds: ReadErpFeedRuns,
    private readonly reconciliationGaps: CountReconciliationGaps,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly locks: AdvisoryLocks,
  ) {}

  async execute(now: Date = new Date()): Promise<EvaluateAlertsResult> {
    if (!this.channels.some((c) => c.configured)) {
      return { ran: false, reason: 'no alert channel is set (ALERT_WEBHOOK_URL, ALERT_SMTP_URL)' };
    }
    const result = await this.locks.tryExclusive('alerts:evaluate', () => this.evaluate(now));
    return result ?? { ran: false, reason: 'another evaluation is running' };
  }

  private async observe(now: Date): Promise<Observation[]> {
    const alerts = this.config.alerts;
    const minutes = (ms: number): number => Math.round(ms / 60_000);
    const since = (ms: number): Date => new Date(now.getTime() - ms);
    const { threshold, windowMs } = alerts.deadLetters;
    const deadLetters = await this.deadLetters.execute(since(windowMs));
    const circuit = this.gate.circuitState;
    const connector = this.config.erp.connector;
    const latency = await this.orderLatency.execute(since(Math.max(alerts.checkIntervalMs, MIN_LATENCY_WINDOW_MS)));
    const lagMinutes = latency.p95Ms === null ? 'none' : (latency.p95Ms / 60_000).toFixed(1);
    const feeds = await this.erpFeeds.execute(connector);
    // Late since its last read to the end; a stream that never read to the end, since its first run.
    const behind = feeds.filter((f) => {
      const since = f.lastSuccessAt ?? f.firstRunAt;
      return since === null || now.getTime() - since.getTime() >= alerts.erpFeedLagMs;
    });
    const gaps = await this.reconciliationGaps.execute(since(alerts.reconciliationWindowMs));
    return [
      {
        rule: AlertRule.DeadLetters,
        holds: deadLetters > threshold,
        holdMs: 0,
        summary: () =>
          `${deadLetters} messages dead-lettered in the last ${minutes(windowMs)} min (alert above ${threshold})`,
        details: { deadLetters, threshold, windowMinutes: minutes(windowMs) },
      },
      {
        rule: AlertRule.ErpCircuitOpen,
        holds: circuit !== 'closed',
        holdMs: alerts.erpCircuitOpenMs,
        summary: (episode) =>
          `the ${connector} ERP circuit has been ${circuit} since ${episode.startedAt.toISOString()} (alert after ${minutes(alerts.erpCircuitOpenMs)} min)`,
        details: { connector, circuit, thresholdMinutes: minutes(alerts.erpCircuitOpenMs) },
      },
      {
        rule: AlertRule.OrderLag,
        // No order written lately: no evidence either way (a stalled flow keeps its episode; the circuit, dead
        // letters and the queue-depth rules of ops/ tell why).
        holds: latency.p95Ms === null ? undefined : latency.p95Ms > alerts.orderLagMs,
        holdMs: 0,
        summary: () =>
          `orders reach the ERP ${lagMinutes} min after their webhook (95th percentile of ${latency.orders} orders; alert above ${minutes(alerts.orderLagMs)} min)`,
        details: { orders: latency.orders, p95Minutes: lagMinutes, thresholdMinutes: minutes(alerts.orderLagMs) },
      },
      {
        rule: AlertRule.ErpFeedLag,
        holds: behind.length > 0,
        holdMs: 0,
        summary: () =>
          `no successful read of the ${connector} ERP's ${behind.map((f) => f.stream).join(', ')} changes for ${minutes(alerts.erpFeedLagMs)} min or more`,
        details: {
          connector,
          streams: behind.map((f) => `${f.stream}${f.failing ? ' (failing)' : ''}`).join(', '),
          thresholdMinutes: minutes(alerts.erpFeedLagMs),
        },
      },
      {
        rule: AlertRule.ReconciliationGaps,
        holds: gaps.orders + gaps.refunds > 0,
        holdMs: 0,
        summary: () =>
          `the order reconciliation fed ${gaps.orders} orders and ${gaps.refunds} refunds the webhooks missed in the last ${minutes(alerts.reconciliationWindowMs)} min`,
        details: { orders: gaps.orders, refunds: gaps.refunds, windowMinutes: minutes(alerts.reconciliationWindowMs) },
      },
    ];
  }

  private async evaluate(now: Date): Promise<EvaluateAlertsResult> {
    const sent: Array<Pick<AlertNotice, 'event' | 'rule' | 'episodeId'> & { channel: AlertChannelName }> = [];
    let failed = 0;
    const configured = this.channels.filter((c) => c.configured);
    for (const observation of await this.observe(now)) {
      let episode = await this.episodes.open(observation.rule);
      const holds = observation.holds ?? episode !== undefined;
      const step = nextAlertStep(
        holds,
        episode,
        now,
        observation.holdMs,
        configured.map((c) => c.name),
      );
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
      const targets =
        step.step === 'open' ? configured.map((c) => c.name) : step.step === 'discard' ? [] : step.channels;
      const notice: AlertNotice = {
        event,
        rule: observation.rule,
        episodeId: episode.id,
        startedAt: episode.startedAt.toISOString(),
        ...(event === 'recovery' ? { recoveredAt: now.toISOString() } : {}),
        summary: event === 'recovery' ? `recovered: ${observation.summary(episode)}` : observation.summary(episode),
        details: observation.details,
      };
      let undelivered = 0;
      for (const name of targets) {
        const channel = configured.find((c) => c.name === name);
        try {
          // A recovery owed to a channel no longer configured is dropped: nothing can deliver it.
          if (channel !== undefined) {
            await channel.send(notice);
          }
        } catch (error: unknown) {
          failed++;
          undelivered++;
          this.logger.warn(
            { rule: observation.rule, episodeId: episode.id, event, channel: name, err: errorMessage(error) },
            'could not deliver the alert: sent again at the next evaluation',
          );
          continue;
        }
        if (event === 'recovery') {
          await this.episodes.markRecoverySent(episode.id, name);
        } else {
          await this.episodes.markRaised(episode.id, name, now, observation.details);
        }
        if (channel !== undefined) {
          sent.push({ event, rule: observation.rule, episodeId: episode.id, channel: name });
          this.logger.log({ rule: observation.rule, episodeId: episode.id, event, channel: name }, notice.summary);
        }
      }
      if (event === 'recovery' && undelivered === 0) {
        await this.episodes.end(episode.id, now, true);
      }
    }
    return { ran: true, sent, failed };
  }
}
