import type { z } from 'zod';
import { ValidationError } from '../src/lib/errors.js';

/** Validates command-line input with the same zod schema the API uses; errors name the option. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, name?: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(
    'The input is invalid.',
    r.error.issues.map((i) => ({
      path: `--${[name, ...i.path.map(String)].filter(Boolean).join('.')}`,
      message: i.message,
    })),
  );
}
