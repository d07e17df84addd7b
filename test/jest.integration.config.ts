import type { Config } from 'jest';
import base from './jest.unit.config';

/**
 * The integration and contract suites, two at a time (this is a 2-core machine, and the services take their share
 * of it): each owns its database, Redis db and vhost (test/support/integration-resources.ts), created or reset by
 * the suite itself, the vhosts by the globalSetup.
 */
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/test/contract/**/*.contract-spec.ts'],
  globalSetup: '<rootDir>/test/jest.services.setup.ts',
  maxWorkers: 2,
  testTimeout: 120_000,
};

export default config;
