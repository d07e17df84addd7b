import type { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';

/**
 * Reads the webhook body as raw bytes (HMAC is computed over them, before any parsing) with a hard cap.
 * A declared Content-Length over the cap is refused before reading a byte; a chunked body is cut off as soon as
 * it passes the cap, so an oversized request never gets buffered whole.
 */
export function rawBodyWithLimit(limitBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limitBytes) {
      tooLarge(req, res, limitBytes);
      return;
    }
    getRawBody(req, { limit: limitBytes, length: Number.isFinite(declared) ? declared : undefined })
      .then((body) => {
        (req as Request & { rawBody?: Buffer }).rawBody = body;
        next();
      })
      .catch((error: { type?: string; status?: number }) => {
        if (error.type === 'entity.too.large') {
          tooLarge(req, res, limitBytes);
        } else {
          res.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'could not read the request body' });
        }
      });
  };
}

function tooLarge(req: Request, res: Response, limitBytes: number): void {
  res.setHeader('Connection', 'close');
  // Stop reading the rest of an oversized upload: close the connection as soon as the 413 is out.
  res.on('finish', () => req.socket.destroy());
  req.pause();
  res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `body exceeds ${limitBytes} bytes` });
}
