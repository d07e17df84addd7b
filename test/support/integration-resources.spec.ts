import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INTEGRATION_RESOURCES,
  jestWorkerVhost,
  testRabbitmqUrl,
  workerVhost,
  type SuiteResources,
} from 'test/support/integration-resources';

const suites: Array<[string, SuiteResources]> = Object.entries(INTEGRATION_RESOURCES);

function duplicates(values: readonly unknown[]): unknown[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function specFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? specFiles(path, suffix) : entry.name.endsWith(suffix) ? [path] : [];
  });
}

describe('integration suites own their resources (they run in parallel)', () => {
  it('no database or Redis db index is taken twice', () => {
    expect(duplicates(suites.flatMap(([, r]) => (r.database ? [r.database] : [])))).toEqual([]);
    expect(duplicates(suites.flatMap(([, r]) => (r.redisDb === undefined ? [] : [r.redisDb])))).toEqual([]);
  });

  it('Redis db indexes exist (0–15)', () => {
    for (const [, r] of suites) {
      if (r.redisDb !== undefined) {
        expect(Number.isInteger(r.redisDb) && r.redisDb >= 0 && r.redisDb <= 15).toBe(true);
      }
    }
  });

  it('suites that run at the same moment (one per jest worker) are on different vhosts, none the default one', () => {
    const saved = process.env.JEST_WORKER_ID;
    try {
      process.env.JEST_WORKER_ID = '2';
      expect(jestWorkerVhost()).toBe(workerVhost(2));
      delete process.env.JEST_WORKER_ID;
      expect(jestWorkerVhost()).toBe(workerVhost(1));
    } finally {
      if (saved === undefined) {
        delete process.env.JEST_WORKER_ID;
      } else {
        process.env.JEST_WORKER_ID = saved;
      }
    }
    expect(workerVhost(1)).not.toBe(workerVhost(2));
    expect([workerVhost(1), workerVhost(2)]).not.toContain('/');
  });

  it('every integration spec takes its resources from the table (contract specs through createErpTestContext)', () => {
    const root = join(__dirname, '..');
    const loose = [
      ...specFiles(join(root, 'integration'), '.int-spec.ts').filter(
        (f) => !readFileSync(f, 'utf8').includes('INTEGRATION_RESOURCES'),
      ),
      ...specFiles(join(root, 'contract'), '.contract-spec.ts').filter(
        (f) => !readFileSync(f, 'utf8').includes('createErpTestContext'),
      ),
    ];
    expect(loose).toEqual([]);
  });

  it('puts a suite on its vhost of the test broker', () => {
    const saved = process.env.TEST_RABBITMQ_URL;
    try {
      delete process.env.TEST_RABBITMQ_URL;
      expect(testRabbitmqUrl()).toBe('amqp://guest:guest@127.0.0.1:5672');
      expect(testRabbitmqUrl('erp-sync-test-worker-1')).toBe(
        'amqp://guest:guest@127.0.0.1:5672/erp-sync-test-worker-1',
      );
      process.env.TEST_RABBITMQ_URL = 'amqp://u:p@broker:5673/other';
      expect(testRabbitmqUrl('a b')).toBe('amqp://u:p@broker:5673/a%20b');
    } finally {
      if (saved === undefined) {
        delete process.env.TEST_RABBITMQ_URL;
      } else {
        process.env.TEST_RABBITMQ_URL = saved;
      }
    }
  });
});
