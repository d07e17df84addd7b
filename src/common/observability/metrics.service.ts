import { Injectable } from '@nestjs/common';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Another process's metrics as its `registry.getMetricsAsJSON()` gives them (the ERP child of APP_ROLE=all). */
export type MetricsSource = () => Promise<object[]>;

/** Every Prometheus metric the product exposes at GET /metrics, in one place so operators can find them. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly webhooksReceived = new Counter({
    name: 'erp_sync_webhooks_received_total',
    help: 'Shopify webhooks received, by topic and HTTP status answered',
    labelNames: ['topic', 'status'] as const,
    registers: [this.registry],
  });

  readonly webhookAckSeconds = new Histogram({
    name: 'erp_sync_webhook_ack_seconds',
    help: 'Time from request arrival to the 200 answer (event durable)',
    labelNames: ['durability'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'erp_sync_outbox_pending',
    help: 'Webhooks held in the PostgreSQL outbox waiting for RabbitMQ',
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'erp_sync_queue_depth',
    help: 'Messages ready in each RabbitMQ queue (sampled)',
    labelNames: ['queue'] as const,
    // Every process of APP_ROLE=all reports it: /metrics shows the largest, not the sum.
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly messageWaitSeconds = new Histogram({
    name: 'erp_sync_message_wait_seconds',
    help: 'Age of a queue message when its processing starts (webhook receipt to consumer), by entity: the queue age per flow',
    labelNames: ['entity'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly erpRequests = new Counter({
    name: 'erp_sync_erp_requests_total',
    help: 'ERP requests by operation and outcome (ok, throttled, transient, permanent, auth, configuration)',
    labelNames: ['connector', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly erpRequestSeconds = new Histogram({
    name: 'erp_sync_erp_request_seconds',
    help: 'ERP request latency',
    labelNames: ['connector', 'operation'] as const,
    buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly erpThrottled = new Counter({
    name: 'erp_sync_erp_throttled_total',
    help: 'ERP answers that asked us to slow down (HTTP 429 or equivalent)',
    labelNames: ['connector'] as const,
    registers: [this.registry],
  });

  readonly erpInFlight = new Gauge({
    name: 'erp_sync_erp_in_flight',
    help: 'ERP requests in flight from this process',
    registers: [this.registry],
  });

  readonly erpConcurrencyLimit = new Gauge({
    name: 'erp_sync_erp_concurrency_limit',
    help: 'Current ERP concurrency limit learnt from throttling, at most ERP_MAX_CONCURRENCY (or 20 when unset)',
    // Every process of APP_ROLE=all reports it: /metrics shows the largest, not the sum.
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'erp_sync_erp_circuit_state',
    help: 'ERP circuit breaker: 0 closed, 1 half-open, 2 open',
    labelNames: ['connector'] as const,
    // Every process of APP_ROLE=all reports it: /metrics shows the largest, not the sum.
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly erpConfigurationError = new Gauge({
    name: 'erp_sync_erp_configuration_error',
    help: 'ERP calls paused because the ERP refuses our settings (credentials, base URL, company or account): 1, else 0',
    labelNames: ['connector'] as const,
    // Every process of APP_ROLE=all reports it: /metrics shows the largest, not the sum.
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly messagesProcessed = new Counter({
    name: 'erp_sync_messages_processed_total',
    help: 'Queue messages processed, by entity and outcome (succeeded, skipped, retried, dead_lettered; paused: kept for later)',
    labelNames: ['entity', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'erp_sync_dead_letters_total',
    help: 'Messages dead-lettered, by entity and reason',
    labelNames: ['entity', 'reason'] as const,
    registers: [this.registry],
  });

  readonly shopifyRequests = new Counter({
    name: 'erp_sync_shopify_requests_total',
    help: 'Shopify Admin API answers by operation and outcome (ok, throttled, transient, permanent, auth)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly shopifyPointsUsed = new Counter({
    name: 'erp_sync_shopify_points_used_total',
    help: 'Shopify Admin API cost points actually charged (extensions.cost.actualQueryCost)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly shopifyThrottled = new Counter({
    name: 'erp_sync_shopify_throttled_total',
    help: 'THROTTLED answers from the Shopify Admin API (each retried after the time the bucket needs)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly shopifyBucketAvailable = new Gauge({
    name: 'erp_sync_shopify_bucket_available',
    help: 'Points available in the Shopify cost bucket, as Shopify last reported (throttleStatus.currentlyAvailable)',
    // Every process of APP_ROLE=all reports it: /metrics shows the smallest, not the sum.
    aggregator: 'min',
    registers: [this.registry],
  });

  private readonly sources: MetricsSource[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds another process's metrics to `exposition()` (APP_ROLE=all: the ERP child's). */
  addSource(source: MetricsSource): void {
    this.sources.push(source);
  }

  /**
   * GET /metrics: this process's registry, with every added source's aggregated in (prom-client's cluster
   * aggregation: counters and histograms summed, gauges by their `aggregator`).
   */
  async exposition(): Promise<string> {
    if (this.sources.length === 0) {
      return this.registry.metrics();
    }
    const all = await Promise.all([this.registry.getMetricsAsJSON(), ...this.sources.map((source) => source())]);
    return AggregatorRegistry.aggregate(all.filter((metrics) => metrics.length > 0)).metrics();
  }
}
