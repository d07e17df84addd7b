import type { Config } from 'jest';

/**
 * ts-jest compiles each file on its own (`isolatedModules` in tsconfig.json), without type-checking: `npm run lint`
 * type-checks the whole project once, with tsc. One worker per core: the unit suites need no services.
 */
const config: Config = {
  rootDir: '..',
  maxWorkers: '100%',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePaths: ['<rootDir>'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
};

export default config;
