/**
 * Structured logs (pino). Secrets never reach them: credentials in headers are removed, and URL
 * segments that look like capability tokens are masked before a request line is written.
 */
import { pino, type Logger } from 'pino';

const TOKEN_IN_PATH = /[A-Za-z0-9_-]{32,}/g;

/** Masks long opaque path segments and drops the query string (it may carry secrets too). */
export function redactUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(TOKEN_IN_PATH, '[redacted]') + (url.includes('?') ? '?[redacted]' : '');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'vigil' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req(req: { method?: string; url?: string; ip?: string; id?: string }) {
          return { id: req.id, method: req.method, url: redactUrl(req.url ?? ''), ip: req.ip };
        },
      },
    },
    destination,
  );
}
