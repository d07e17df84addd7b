// Relative imports: jest runs a globalSetup outside its own module resolution (no `modulePaths`), so the project's
// absolute `test/...` paths do not resolve here. Neither file imports anything of the project.
import { integrationVhosts, testRabbitmqUrl } from './support/integration-resources';
import { ensureVhosts } from './support/services';

/**
 * Once before the integration suites (which run in parallel): the RabbitMQ vhost of each suite that uses queues.
 * A fresh broker costs a few rabbitmqctl calls; after that, two reads.
 */
export default async function createIntegrationVhosts(): Promise<void> {
  await ensureVhosts(testRabbitmqUrl(), integrationVhosts());
}
