import { loadConfig } from 'src/config/load-config';
import { runMigrationsLocked } from 'src/database/migrate';

/** `npm run migration:run`: applies pending migrations and exits. The app also runs them at start. */
runMigrationsLocked(loadConfig().database.url)
  .then((applied) => process.stdout.write(`${JSON.stringify({ msg: 'migrations applied', applied })}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
