/**
 * A module resolve hook for running the repository's TypeScript with Node's type stripping: an
 * import of `./x.js` from a `.ts` file loads `./x.ts` when that exists (the sources are written for
 * NodeNext, which names the emitted `.js`). Registered by register-ts.mjs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const source = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(source))) return nextResolve(source.href, context);
  }
  return nextResolve(specifier, context);
}
