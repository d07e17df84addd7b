import type { Config } from 'jest';
import base from './jest.unit.config';

/**
 * The fault scenarios that stop, restart or wipe a shared service (RabbitMQ, PostgreSQL, Redis) under everyone:
 * `test/e2e/faults*.e2e-spec.ts`, run alone, one after the other, after every other suite.
 */
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/e2e/faults*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/jest.services.setup.ts',
  maxWorkers: 1,
  testTimeout: 180_000,
};

export default config;
