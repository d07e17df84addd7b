import { SimulatorConfigError } from 'test/simulators/common/simulator-errors';
import type { MaintenanceMode, SimulatorConfig } from 'test/simulators/common/simulator.types';

/** The fault settings every simulator starts from, and their validation (the control API answers a bad one 400). */

const MAINTENANCE_MODES: readonly MaintenanceMode[] = ['off', '503', 'refuse', 'hang'];

export const DEFAULT_SIMULATOR_CONFIG: SimulatorConfig = {
  concurrencyLimit: 5,
  requestsPerMinute: 0,
  latencyMs: 150,
  latencyJitterMs: 30,
  retryAfterSeconds: 1,
  maintenance: 'off',
  commitThenDropRate: 0,
  commitDelayMs: 0,
  errorRate: 0,
  rejectAuth: false,
  retryAfterGraceMs: 100,
};

/** Returns `config` when every setting is valid; otherwise throws one SimulatorConfigError naming each problem. */
export function validateConfig(config: SimulatorConfig): SimulatorConfig {
  const problems: string[] = [];
  for (const field of [
    'concurrencyLimit',
    'requestsPerMinute',
    'latencyMs',
    'latencyJitterMs',
    'retryAfterSeconds',
    'retryAfterGraceMs',
    'commitDelayMs',
  ] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      problems.push(`${field} must be a non-negative integer`);
    }
  }
  for (const field of ['commitThenDropRate', 'errorRate'] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push(`${field} must be a number from 0 to 1`);
    }
  }
  if (!MAINTENANCE_MODES.includes(config.maintenance)) {
    problems.push(`maintenance must be one of ${MAINTENANCE_MODES.join(', ')}`);
  }
  if (typeof config.rejectAuth !== 'boolean') {
    problems.push('rejectAuth must be a boolean');
  }
  const unknown = Object.keys(config).filter((key) => !(key in DEFAULT_SIMULATOR_CONFIG));
  problems.push(...unknown.map((key) => `unknown setting ${key}`));
  if (problems.length > 0) {
    throw new SimulatorConfigError(problems.join('; '));
  }
  return config;
}
