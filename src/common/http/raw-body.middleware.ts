import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';

/**
 * Reads a request body as raw bytes (HMACs and shared secrets are checked over them, before any parsing) with a hard
 * cap, on a bare `node:http` request. A declared Content-Length over the cap is refused before reading a byte; a
 * chunked body is cut off as soon as it passes the cap, so an oversized request never gets buffered whole.
 * Resolves `undefined` once it has answered the request itself (413 or 400); never rejects.
 */
export async function readRawBody(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) {
    tooLarge(req, res, limitBytes);
    return undefined;
  }
  try {
    return await getRawBody(req, { limit: limitBytes, length: Number.isFinite(declared) ? declared : undefined });
  } catch (error: unknown) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      tooLarge(req, res, limitBytes);
    } else {
      sendJson(res, 400, { statusCode: 400, error: 'Bad Request', message: 'could not read the request body' });
    }
    return undefined;
  }
}

/** The same, as Express middleware: the bytes land on `req.rawBody`. */
export function rawBodyWithLimit(limitBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    void readRawBody(req, res, limitBytes).then((body) => {
      if (body !== undefined) {
        (req as Request & { rawBody?: Buffer }).rawBody = body;
        next();
      }
    });
  };
}

/**
 * Writes a small JSON answer straight to the socket. Express's `res.json` also computes an ETag and re-parses the
 * content type on every call: work a webhook answer (never cached, never conditional) does not need on the hot path.
 */
export function sendJson(res: ServerResponse, status: number, payload: object): void {
  res.end(writeJsonHead(res, status, payload));
}

/** Writes the status line and headers of a JSON answer; returns the body, for the caller to write. */
function writeJsonHead(res: ServerResponse, status: number, payload: object, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  return body;
}

/**
 * Answers 413 and closes the connection the way nginx and Apache do ("lingering close"): see `refuseUnread`.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, limitBytes: number): void {
  refuseUnread(req, res, limitBytes, 413, {
    statusCode: 413,
    error: 'Payload Too Large',
    message: `body exceeds ${limitBytes} bytes`,
  });
}

/**
 * Answers a request without reading its body, and closes the connection the way nginx and Apache do ("lingering
 * close"). A socket closed while the client is still uploading holds unread bytes, and closing it then makes the
 * kernel send a reset, which can destroy the answer on the client's side before the client has read it. So the answer
 * is written whole at once, the rest of the upload is read and thrown away (nothing is kept), and the response ends,
 * closing the connection, once the upload has ended; an upload of more than `LINGER_BODIES` times `limitBytes`, or
 * one still going after `LINGER_MS`, is cut off. Used for 413 (too large) and for 503 (too many bodies in flight).
 */
export function refuseUnread(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
  status: number,
  payload: object,
  headers: Record<string, string> = {},
): void {
  const body = writeJsonHead(res, status, payload, { ...headers, Connection: 'close' });
  res.write(body);
  let discarded = 0;
  const cutOff = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cutOff, LINGER_MS);
  timer.unref();
  req.socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BODIES * limitBytes) {
      cutOff();
    }
  });
  req.on('end', () => {
    clearTimeout(timer);
    res.end();
  });
  req.resume();
}

const LINGER_MS = 2_000;
const LINGER_BODIES = 8;
