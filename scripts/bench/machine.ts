import { execFile } from 'node:child_process';
import os from 'node:os';
import { checkServices, type ServiceUrls } from 'test/support/services';

/** @description The machine a bench ran on, for its report. */
export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: string;
  node: string;
  os: string;
  postgres?: string;
  rabbitmq?: string;
  redis?: string;
}

function execText(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

export async function machineFacts(urls: ServiceUrls): Promise<Machine> {
  const services = await checkServices(urls);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    postgres: services.services.find((s) => s.name === 'PostgreSQL')?.version,
    redis: services.services.find((s) => s.name === 'Redis')?.version,
    rabbitmq: (await execText('rabbitmqctl', ['version']))?.split('\n').pop(),
  };
}
