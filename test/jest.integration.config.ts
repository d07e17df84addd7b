import type { Config } from 'jest';
import base from './jest.unit.config';

const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/test/contract/**/*.contract-spec.ts'],
  testTimeout: 120_000,
};

export default config;
