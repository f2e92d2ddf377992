/**
 * Text Vigil accepts never holds NUL (U+0000): PostgreSQL's text cannot store it (the query fails:
 * "invalid byte sequence for encoding UTF8: 0x00"), so a NUL in a path, query or body field reached
 * the database as a 500 there and was stored on SQLite. Refused once, here, for every route and both
 * databases alike: 400 naming the field, before validation, so no service ever sees one.
 */
import type { FastifyInstance } from 'fastify';
import { BadFieldError } from '../../lib/errors.js';

const NUL = '\u0000';
/** Deeper than any schema Vigil has; the body parser already bounded the size. */
const MAX_DEPTH = 64;

/** The dotted path of the first string (or key) holding NUL in `value`, if any. */
export function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  // A raw body (a Buffer, a stream: a git pack) is bytes, not text.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findNul(v, `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes(NUL)) return path;
    const found = findNul(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Installs the check on every route (register it before the routes). */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const at =
      findNul(request.params, 'params') ??
      findNul(request.query, 'querystring') ??
      findNul(request.body, 'body');
    if (at) throw new BadFieldError(at, 'must not contain a NUL character (U+0000)');
  });
}
