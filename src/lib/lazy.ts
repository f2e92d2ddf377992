/**
 * Packages loaded at first use instead of at start. `vigil serve` would otherwise compile every
 * package a feature might need (OpenPGP, the mail parser, the holiday tables, WebAuthn...) before it
 * answers anything, and keep them in memory while idle: see bench/README.md, "Footprint".
 *
 * A call site that can await uses `lazyImport(() => import('pkg'))`; one that cannot (a zod refine, a
 * synchronous calculation) uses `lazyRequire('pkg')`, which loads the package's CommonJS entry with
 * Node's `require` on first call. Either way the module is loaded once and cached.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** A cached asynchronous loader: the first call starts `load()`, later calls share its promise. */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((err: unknown) => {
      // A failed load (a missing optional package) is not cached: the next call tries again.
      loaded = undefined;
      throw err;
    });
    return loaded;
  };
}

/**
 * A cached synchronous loader for a package (its `require` export, e.g. CommonJS `module.exports`).
 * `T` is the type of what `require(specifier)` returns; the caller states it from a type-only import.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: { module: T } | undefined;
  return () => {
    loaded ??= { module: requireFromHere(specifier) as T };
    return loaded.module;
  };
}
