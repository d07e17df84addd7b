import { readdir, readFile } from 'node:fs/promises';

/** A running process's resident memory and open handles, read from /proc (Linux): what a leak shows as. */

/** Resident set size in MiB (VmRSS); undefined once the process is gone. */
export async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Open file descriptors (sockets, files, pipes); undefined once the process is gone. */
export async function openFileDescriptors(pid: number): Promise<number | undefined> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return undefined;
  }
}
