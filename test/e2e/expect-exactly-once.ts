import type { Scenario } from 'test/support/scenario';

/**
 * The verdict of every fault scenario: once the backlog has drained, each accepted webhook's order is in the ERP
 * exactly once in its latest state (the exact ledger), none was refused or failed, and nothing was dead-lettered
 * because of the fault.
 */
export async function expectExactlyOnceAfter(scenario: Scenario, drainMs: number): Promise<void> {
  await scenario.drain(drainMs);
  const report = await scenario.ledger();
  expect(report.problems).toEqual([]);
  expect(report.verdict).toBe('pass');
  expect(report.failed + report.rejected).toBe(0);
  expect(await scenario.deadLetteredOrderIds()).toEqual([]);
}
