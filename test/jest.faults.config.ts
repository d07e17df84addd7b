import type { Config } from 'jest';
import base from './jest.unit.config';

/** The fault scenarios: they stop and restart RabbitMQ and PostgreSQL, so they run alone, one after the other. */
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/e2e/faults.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/jest.services.setup.ts',
  maxWorkers: 1,
  testTimeout: 180_000,
};

export default config;
