import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { getPriority } from 'node:os';
import path from 'node:path';
import {
  ChildProcessSupervisor,
  type ChildProcessSupervisorOptions,
} from 'src/common/lifecycle/child-process.supervisor';

/**
 * A real child process (a small script standing in for the ERP part of APP_ROLE=all): `started` once, metrics on
 * request, exit on SIGTERM after a moment; `crash` exits 3 at once; `stubborn` ignores SIGTERM.
 */
const CHILD = `
const mode = process.argv[2];
if (mode === 'crash') process.exit(3);
process.on('message', (m) => {
  if (m.kind === 'metrics') {
    process.send({ kind: 'metrics', id: m.id, metrics: [{ name: 'child_total', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value: 2, labels: {} }] }] });
  }
});
process.on('SIGTERM', () => { if (mode !== 'stubborn') setTimeout(() => process.exit(0), 50); });
process.send({ kind: 'started' });
setInterval(() => undefined, 1000);
`;

describe(ChildProcessSupervisor.name, () => {
  let dir: string;
  let entry: string;
  const supervisors: ChildProcessSupervisor[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'child-supervisor-'));
    entry = path.join(dir, 'child.js');
    writeFileSync(entry, CHILD);
  });
  afterEach(async () => {
    await Promise.all(
      supervisors.splice(0).map((s) => {
        s.cut();
        return s.stop();
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function supervise(mode: string, overrides: Partial<ChildProcessSupervisorOptions> = {}) {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    const sut = new ChildProcessSupervisor({
      entry,
      args: [mode],
      nice: 0,
      restartDelayMs: 10,
      maxCrashes: 3,
      crashWindowMs: 60_000,
      requestTimeoutMs: 2_000,
      log: {
        log: (_d, message) => lines.push(message),
        warn: (_d, message) => lines.push(message),
        error: (_d, message) => lines.push(message),
      },
      onGiveUp: (reason) => gaveUp.push(reason),
      ...overrides,
    });
    supervisors.push(sut);
    return { sut, lines, gaveUp };
  }

  it('is not ready until the child reports it started; then ready, with the child metrics on request', async () => {
    const { sut } = supervise('ok');
    sut.start();
    expect(sut.readiness().ready).toBe(false);
    await sut.started();
    expect(sut.readiness()).toMatchObject({ ready: true, details: { process: 'started' } });
    expect(await sut.metrics()).toEqual([expect.objectContaining({ name: 'child_total' })]);
  });

  it('runs the child at the nice value given, this process unchanged', async () => {
    const { sut } = supervise('ok', { nice: 12 });
    const own = getPriority();
    sut.start();
    await sut.started();
    expect(getPriority(Number(sut.readiness().details?.pid))).toBe(Math.max(own, 12));
    expect(getPriority()).toBe(own);
  });

  it('passes a shutdown signal on, and stop() resolves once the child has exited, without a restart', async () => {
    const { sut, lines } = supervise('ok');
    sut.start();
    await sut.started();
    sut.forward('SIGTERM');
    await sut.stop();
    expect(sut.readiness()).toMatchObject({ ready: false, details: { process: 'stopped' } });
    expect(await sut.metrics()).toEqual([]);
    expect(lines.at(-1)).toBe('ERP process exited');
  });

  it('starts a crashed child again, and gives up (visibly) when it keeps crashing', async () => {
    const { sut, lines, gaveUp } = supervise('crash');
    sut.start();
    await expect(sut.started()).rejects.toThrow(/exited 3 times/);
    expect(gaveUp).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('ERP process exited unexpectedly'))).toHaveLength(2);
    expect(sut.readiness().ready).toBe(false);
  });

  it('cut() kills a child that outlives the deadline', async () => {
    const { sut } = supervise('stubborn');
    sut.start();
    await sut.started();
    const stopped = sut.stop();
    let settled = false;
    void stopped.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    sut.cut();
    await stopped;
    expect(sut.readiness().details).toMatchObject({ process: 'stopped' });
  });
});
