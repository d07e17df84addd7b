import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/**
 * Runs the compiled app (`dist/src/main.js`) as a child process, exactly as production does, for the demo, the
 * benchmark and fault-injection tests (a known pid to SIGKILL). Every child is SIGKILLed if this process exits
 * without stopping it, so that a crashed harness never leaves an app consuming the shared queues.
 */

export type AppRoleName = 'all' | 'api' | 'worker' | 'scheduler';

export interface StartAppOptions {
  /** The app's environment (DATABASE_URL, …); merged over this process's environment. */
  env: Record<string, string>;
  role?: AppRoleName;
  port: number;
  /** stdout and stderr are appended here (the child writes to the file itself, so logging costs this process nothing). */
  logFile: string;
  readyTimeoutMs?: number;
  /** Defaults to the repository root. */
  cwd?: string;
}

export interface AppProcess {
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  logFile: string;
  /** Sends `signal` (SIGTERM by default) and waits for exit; SIGKILL after `timeoutMs` (15 s). Resolves the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** SIGKILL, then waits for exit. */
  kill(): Promise<number | null>;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** The last lines the process printed. */
  lastLines(n?: number): string[];
  /**
   * The pids whose lines are this app's: its own and, for APP_ROLE=all, that of the ERP child it started (from its
   * "ERP process started" lines; a restarted child adds its pid).
   */
  pids(): number[];
}

/**
 * The Node flags the app runs with, here as in the Docker image's CMD and `npm start` (test/build-contents.spec.ts
 * checks that the three agree). A cap on V8's old generation does more than bound the heap: below 2 GiB, V8 also lets
 * the old generation grow to at most 1.3–2 times what is live after a collection (1.6 at 1 GiB) instead of 4 times.
 * Uncapped, on a machine with plenty of memory, a burst of work (a backlog after an outage) let the worker's heap
 * grow from 110 to 255 MiB around a live heap of 50–65 MiB, and V8 kept it (docs/benchmarks-history.md, "Soak
 * (S19): where the RSS went").
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-old-space-size=1024', '--expose-gc'];

const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 250;
const TAIL_BYTES = 64 * 1024;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      killGroup(child);
    }
  });
}

/**
 * SIGKILL to the app and every process it started (its process group: APP_ROLE=all forks an ERP child), as a crash
 * or an orchestrator's kill ends them all; a SIGKILL to the parent alone would leave the child to shut down gracefully.
 */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** The directory holding package.json, walking up from here (works from src and from dist/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      return process.cwd();
    }
    dir = parent;
  }
  return dir;
}

/** The last `n` lines of a file, reading at most its last 64 KiB. */
export function tailLines(file: string, n: number): string[] {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .slice(-n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET a local URL; resolves the status code (0 on any error or after `timeoutMs`). */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
  });
}

export async function startApp(options: StartAppOptions): Promise<AppProcess> {
  const cwd = options.cwd ?? repoRoot();
  const main = path.join(cwd, 'dist', 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} not found: build first (npm run build)`);
  }
  const role = options.role ?? 'all';
  const logFd = openSync(options.logFile, 'a');
  const lastLines = (n = 30): string[] => tailLines(options.logFile, n);

  // BENCH_APP_NODE_FLAGS: extra Node flags for a diagnosis (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), which
  // NODE_OPTIONS does not accept.
  const extraFlags = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter((f) => f.length > 0);
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...extraFlags, main], {
    cwd,
    env: { ...process.env, ...options.env, NODE_PATH: 'dist', PORT: String(options.port), APP_ROLE: role },
    stdio: ['ignore', logFd, logFd],
    // A process group of its own, so that a kill reaches the ERP child of APP_ROLE=all too (`killGroup`).
    detached: true,
  });
  closeSync(logFd);
  installExitHook();
  live.add(child);

  let exitCode: number | null | undefined;
  let spawnError: string | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      live.delete(child);
      resolve(code);
    });
    child.on('error', (err) => {
      spawnError = err.message;
      exitCode = null;
      live.delete(child);
      resolve(null);
    });
  });

  const url = `http://127.0.0.1:${options.port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> => {
    if (exitCode !== undefined) {
      return exitCode;
    }
    if (signal === 'SIGKILL') {
      killGroup(child);
    } else {
      child.kill(signal);
    }
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const kill = (): Promise<number | null> => stop('SIGKILL');

  const deadline = Date.now() + (options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `the app (role ${role}) exited with code ${String(exitCode)}${spawnError ? ` (${spawnError})` : ''} before it was ready; last lines of ${options.logFile}:\n` +
          lastLines().join('\n'),
      );
    }
    if ((await httpStatus(`${url}/health/ready`)) === 200) {
      break;
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `the app (role ${role}) was not ready within ${options.readyTimeoutMs ?? READY_TIMEOUT_MS} ms; last lines of ${options.logFile}:\n` +
          lastLines().join('\n'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }

  const pid = child.pid ?? -1;
  const pids = (): number[] => [pid, ...erpChildPids(options.logFile, pid)];
  return { pid, port: options.port, url, logFile: options.logFile, stop, kill, exited, lastLines, pids };
}

function erpChildPids(logFile: string, pid: number): number[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"pid":${pid},`) && line.includes('"msg":"ERP process started'))
    .map((line) => Number(/"childPid":(\d+)/.exec(line)?.[1]))
    .filter((childPid) => Number.isInteger(childPid));
}
