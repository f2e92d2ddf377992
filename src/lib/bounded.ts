/** Bounded string schemas shared by the modules' zod schemas: every string has a maximum length. */
import { z } from 'zod';

/** Text of at most `max` characters (new lines allowed). */
export const boundedText = (max: number) => z.string().max(max);

/** One trimmed line of at most `max` characters. */
export const boundedLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\r\n]*$/, 'must be a single line');
