/**
 * `node --experimental-transform-types --import ./scripts/register-ts.mjs file.ts` runs a
 * TypeScript file of this repository without building it first (see resolve-ts.mjs).
 */
import { register } from 'node:module';

register('./resolve-ts.mjs', import.meta.url);
