import type { Config } from 'jest';
import base from './jest.unit.config';

/**
 * The integration and contract suites, four at a time: each owns its database, Redis db and vhost
 * (test/support/integration-resources.ts), created or reset by the suite itself, the vhosts by the globalSetup. They
 * mostly wait (for a lease, a settle time, a simulated ERP): on this 2-core machine two at a time kept the jest
 * processes at 50 % of one core and took 148 s, four take 92 s at 92 %.
 */
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/test/contract/**/*.contract-spec.ts'],
  globalSetup: '<rootDir>/test/jest.services.setup.ts',
  maxWorkers: 4,
  testTimeout: 120_000,
};

export default config;
