import type { Config } from 'jest';
import base from './jest.unit.config';

/**
 * The e2e scenarios that leave the services running, three at a time (they wait on simulated ERPs much of the time:
 * on this 2-core machine three took 166 s where two took 196 s): each owns its database and Redis db, and runs
 * on its jest worker's vhost (test/support/scenario.ts). The fault scenarios (`faults*.e2e-spec.ts`), which stop
 * or wipe a shared service under everyone, run alone afterwards (jest.faults.config.ts). A hang fails in minutes.
 */
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/faults[^/]*\\.e2e-spec\\.ts$'],
  globalSetup: '<rootDir>/test/jest.services.setup.ts',
  maxWorkers: 3,
  testTimeout: 180_000,
};

export default config;
