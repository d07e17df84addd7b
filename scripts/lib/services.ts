import { ALL_QUEUE_NAMES, declareTopology } from 'src/common/messaging/topology';
import {
  closeRabbit,
  ensureDatabase,
  ensureVhost,
  flushRedisDb,
  openRabbit,
  purgeQueues,
  type ServiceUrls,
  withBrokerTimeout,
} from 'test/support/services';

/** The shop every demo and bench webhook comes from. */
export const DEMO_SHOP = 'demo-store.myshopify.com';

/**
 * This machine's services (or DATABASE_URL / RABBITMQ_URL / REDIS_URL's servers) with a database, a Redis db index
 * and a RabbitMQ vhost of the run's own, so that it neither disturbs nor is disturbed by a test suite or another app.
 */
export function localServiceUrls(database: string, redisDb: number): ServiceUrls {
  const pg = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  pg.pathname = `/${database}`;
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.pathname = `/${redisDb}`;
  const rabbit = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  rabbit.pathname = `/${database}`;
  return { databaseUrl: pg.toString(), rabbitmqUrl: rabbit.toString(), redisUrl: redis.toString() };
}

/**
 * A fresh database, an empty Redis db and the app's topology with empty queues, so that a run is judged on its own
 * events only. The topology is declared here with the app's own `declareTopology` (identical arguments, so the
 * app's declaration is a no-op) so that an app process is never the first to declare it in a fresh vhost.
 */
export async function resetInfrastructure(urls: ServiceUrls): Promise<void> {
  await ensureDatabase(urls.databaseUrl, { reset: true });
  await flushRedisDb(urls.redisUrl);
  const rabbit = openRabbit(urls.rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
    await withBrokerTimeout(declareTopology(rabbit), 'topology declaration', 30_000);
  } finally {
    await closeRabbit(rabbit);
  }
  await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
}

/**
 * The run's own vhost where this machine can make one (rabbitmqctl on the PATH, as on a local install); otherwise
 * (RabbitMQ in a container, say) the broker's default vhost, which is fine as long as no other app uses it.
 */
export async function isolatedRabbitUrl(urls: ServiceUrls): Promise<ServiceUrls> {
  try {
    await ensureVhost(urls.rabbitmqUrl);
    return urls;
  } catch {
    const fallback = new URL(urls.rabbitmqUrl);
    fallback.pathname = '';
    console.log(
      '(rabbitmqctl is not available here: using the default RabbitMQ vhost; stop other apps using it first)',
    );
    return { ...urls, rabbitmqUrl: fallback.toString() };
  }
}

/** The app's environment for a run on the sandbox ERP; `extra` points it at a vendor simulator instead. */
export function appEnv(
  urls: ServiceUrls,
  options: {
    secret: string;
    adminKey: string;
    sandboxUrl: string;
    erpConcurrency: number;
    extra?: Record<string, string>;
  },
): Record<string, string> {
  return {
    DATABASE_URL: urls.databaseUrl,
    RABBITMQ_URL: urls.rabbitmqUrl,
    REDIS_URL: urls.redisUrl,
    SHOPIFY_SHOP_DOMAIN: DEMO_SHOP,
    SHOPIFY_WEBHOOK_SECRET: options.secret,
    ERP_CONNECTOR: 'sandbox',
    SANDBOX_ERP_URL: options.sandboxUrl,
    ERP_MAX_CONCURRENCY: String(options.erpConcurrency),
    ADMIN_API_KEYS: options.adminKey,
    LOG_LEVEL: 'info',
    ...options.extra,
  };
}
