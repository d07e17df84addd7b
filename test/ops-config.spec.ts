import { load } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MetricsService } from 'src/common/observability/metrics.service';

/**
 * The monitoring files that `docker compose up` loads (ops/): the Prometheus configuration and alert rules, the
 * Grafana provisioning and dashboard. They parse, every PromQL expression names only metrics the app registers
 * (a renamed metric would leave a panel empty and an alert silent), and the compose file mounts files that exist.
 */

const ROOT = path.resolve(__dirname, '..');

function yamlFile(relative: string): unknown {
  return load(readFileSync(path.join(ROOT, relative), 'utf8'));
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not a mapping`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${what} is not a list`);
  }
  return value as unknown[];
}

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);
/** Series Prometheus itself makes for each scrape target. */
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

/**
 * The metric names a PromQL expression reads: identifiers left once strings, label matchers, grouping clauses and
 * range selectors are removed, that are not followed by `(` (a function or aggregation) nor PromQL keywords.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(?=\s*(\(?))/g)) {
    if (match[1] === '(' || PROMQL_WORDS.has(match[0].toLowerCase())) {
      continue;
    }
    names.push(match[0]);
  }
  return names;
}

/** Names an expression may use for the app's metrics: each metric, and a histogram's `_bucket`, `_sum`, `_count`. */
async function exportedSeries(): Promise<Set<string>> {
  const metrics = await new MetricsService().registry.getMetricsAsJSON();
  const names = new Set<string>(PROMETHEUS_SERIES);
  for (const metric of metrics) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram' || String(metric.type) === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) {
        names.add(`${metric.name}${suffix}`);
      }
    }
  }
  return names;
}

function alertRules(): Array<{ alert: string; expr: string }> {
  const groups = list(record(yamlFile('ops/prometheus/alerts.yml'), 'alerts.yml').groups, 'groups');
  return groups.flatMap((group) =>
    list(record(group, 'group').rules, 'rules').map((rule) => {
      const { alert, expr } = record(rule, 'rule');
      if (typeof alert !== 'string' || typeof expr !== 'string') {
        throw new Error(`a rule without alert name or expr: ${JSON.stringify(rule)}`);
      }
      return { alert, expr };
    }),
  );
}

interface DashboardPanel {
  title?: string;
  type?: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string }>;
  panels?: DashboardPanel[];
}

function dashboardPanels(): DashboardPanel[] {
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'ops/grafana/dashboards/erp-sync.json'), 'utf8')) as {
    uid?: string;
    panels?: DashboardPanel[];
  };
  expect(dashboard.uid).toBe('erp-sync');
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

describe('monitoring configuration (ops/)', () => {
  it('reads only metric names out of PromQL', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, entity) (rate(erp_sync_message_wait_seconds_bucket{queue=~"a\\\\.b"}[5m]))) > 300 and on(x) up',
      ),
    ).toEqual(['erp_sync_message_wait_seconds_bucket', 'up']);
  });

  it('alerts only on metrics the app exports', async () => {
    const exported = await exportedSeries();
    const rules = alertRules();
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      const names = metricNamesIn(rule.expr);
      expect({ alert: rule.alert, names: names.length > 0 }).toEqual({ alert: rule.alert, names: true });
      expect({ alert: rule.alert, unknown: names.filter((n) => !exported.has(n)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
    }
  });

  it('covers ingest, queues, ERP calls, 429s, the circuit, dead letters and the Shopify bucket on the dashboard', async () => {
    const exported = await exportedSeries();
    const panels = dashboardPanels().filter((p) => p.type !== 'row');
    const used = new Set<string>();
    for (const panel of panels) {
      expect({ panel: panel.title, datasource: panel.datasource?.uid }).toEqual({
        panel: panel.title,
        datasource: 'prometheus',
      });
      const exprs = (panel.targets ?? []).map((t) => t.expr ?? '');
      expect({ panel: panel.title, targets: exprs.length > 0 && exprs.every((e) => e !== '') }).toEqual({
        panel: panel.title,
        targets: true,
      });
      for (const name of exprs.flatMap(metricNamesIn)) {
        expect({ panel: panel.title, name, exported: exported.has(name) }).toEqual({
          panel: panel.title,
          name,
          exported: true,
        });
        used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    expect([...used]).toEqual(
      expect.arrayContaining([
        'erp_sync_webhooks_received_total',
        'erp_sync_webhook_ack_seconds',
        'erp_sync_queue_depth',
        'erp_sync_message_wait_seconds',
        'erp_sync_erp_requests_total',
        'erp_sync_erp_throttled_total',
        'erp_sync_shopify_throttled_total',
        'erp_sync_erp_circuit_state',
        'erp_sync_dead_letters_total',
        'erp_sync_shopify_bucket_available',
      ]),
    );
  });

  it('provisions the Prometheus datasource the dashboard names and the folder compose mounts', () => {
    const datasources = list(
      record(yamlFile('ops/grafana/provisioning/datasources/prometheus.yml'), 'datasources file').datasources,
      'datasources',
    ).map((d) => record(d, 'datasource'));
    expect(datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = list(
      record(yamlFile('ops/grafana/provisioning/dashboards/erp-sync.yml'), 'dashboards file').providers,
      'providers',
    ).map((p) => record(record(p, 'provider').options, 'options'));
    expect(providers).toEqual([{ path: '/var/lib/grafana/dashboards' }]);
    const prometheus = record(yamlFile('ops/prometheus/prometheus.yml'), 'prometheus.yml');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });

  it('gives the ERP side a low CPU weight beside the api, so that ingest wins a contended CPU', () => {
    const services = record(record(yamlFile('docker-compose.yml'), 'docker-compose.yml').services, 'services');
    const shares = (name: string): unknown => record(services[name], name).cpu_shares;
    expect([shares('api'), shares('worker'), shares('scheduler')]).toEqual([undefined, 36, 36]);
  });

  it('mounts into Prometheus and Grafana only files of the repository, where their configuration expects them', () => {
    const services = record(record(yamlFile('docker-compose.yml'), 'docker-compose.yml').services, 'services');
    const mounts = new Map<string, string>();
    for (const name of ['prometheus', 'grafana']) {
      for (const volume of list(record(services[name], name).volumes, `${name} volumes`)) {
        const [source, target] = String(volume).split(':');
        if (source.startsWith('./')) {
          expect({ source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
          mounts.set(target, source);
        }
      }
    }
    expect(Object.fromEntries(mounts)).toEqual({
      '/etc/prometheus/prometheus.yml': './ops/prometheus/prometheus.yml',
      '/etc/prometheus/alerts.yml': './ops/prometheus/alerts.yml',
      '/etc/grafana/provisioning/datasources': './ops/grafana/provisioning/datasources',
      '/etc/grafana/provisioning/dashboards': './ops/grafana/provisioning/dashboards',
      '/var/lib/grafana/dashboards': './ops/grafana/dashboards',
    });
    // Prometheus scrapes the app services by name: each must exist in the compose file.
    const scrape = list(record(yamlFile('ops/prometheus/prometheus.yml'), 'prometheus.yml').scrape_configs, 'scrape');
    const names = scrape.flatMap((job) =>
      list(record(job, 'job').dns_sd_configs ?? [], 'dns_sd_configs').flatMap((sd) =>
        list(record(sd, 'dns_sd').names, 'names'),
      ),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect({ name, service: String(name) in services }).toEqual({ name, service: true });
    }
  });
});
