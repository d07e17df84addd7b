import type { IncomingMessage } from 'node:http';
import { SimulatorConfigError } from 'test/simulators/common/simulator-errors';

/** Body reading shared by the simulators' HTTP servers. */

/** Reads a control-API body as a JSON object (empty or blank = `{}`); anything else is a SimulatorConfigError. */
export async function readControlJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 50 * 1024 * 1024);
  if (body === 'too-large') {
    throw new SimulatorConfigError('control body too large');
  }
  const text = body.toString('utf8').trim();
  if (text === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SimulatorConfigError('control body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimulatorConfigError('control body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Reads a request body up to `limit` bytes; rejects when the client goes away first. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) {
        reject(new Error('client went away'));
      }
    });
  });
}
