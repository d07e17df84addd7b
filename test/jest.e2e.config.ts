import type { Config } from 'jest';
import base from './jest.unit.config';

const config: Config = {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testTimeout: 600_000,
};

export default config;
