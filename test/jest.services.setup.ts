// Relative imports: jest runs a globalSetup outside its own module resolution (no `modulePaths`), so the project's
// absolute `test/...` paths do not resolve here. Neither file imports anything of the project.
import { testRabbitmqUrl, workerVhost } from './support/integration-resources';
import { ensureVhosts } from './support/services';

/**
 * Once before the integration or e2e suites (which run in parallel): the RabbitMQ vhost of each jest worker. A
 * fresh broker costs a few rabbitmqctl calls; after that, two reads.
 */
export default async function createWorkerVhosts(globalConfig: { maxWorkers: number }): Promise<void> {
  const workers = Array.from({ length: Math.max(1, globalConfig.maxWorkers) }, (_, i) => workerVhost(i + 1));
  await ensureVhosts(testRabbitmqUrl(), workers);
}
