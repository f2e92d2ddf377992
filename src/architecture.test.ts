/**
 * The layering rules of docs/ARCHITECTURE.md, checked over the import graph of the source tree:
 * boundaries point one way, routes never reach the database, repositories never authorize, and the
 * web imports only the pure vocabulary it shares with the server. Reads files only (unit tier).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './lib/paths.js';

interface Import {
  /** Repository-relative path of the imported file (`src/db/connection.ts`), or the package name. */
  target: string;
  /** `import type` (erased at run time). */
  typeOnly: boolean;
}

const root = repoRoot();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?'([^']+)'/gm;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const resolveTarget = (spec: string) => {
    if (!spec.startsWith('.')) return spec;
    const abs = resolve(dirname(join(root, file)), spec).replace(/\.js$/, '');
    const rel = relative(root, abs);
    return file.endsWith('.tsx') || !spec.endsWith('.js') ? `${rel}.tsx?` : `${rel}.ts`;
  };
  const found: Import[] = [];
  for (const m of text.matchAll(IMPORT)) found.push({ target: resolveTarget(m[2] ?? ''), typeOnly: !!m[1] });
  for (const m of text.matchAll(DYNAMIC)) found.push({ target: resolveTarget(m[1] ?? ''), typeOnly: false });
  return found;
}

const isTest = (f: string) => /\.(test|typecheck)\.tsx?$|\.test-support\.ts$|\.fixtures\.ts$/.test(f);
const serverFiles = [...sourceFiles('src'), ...sourceFiles('cli')].filter(
  (f) => !isTest(f) && !f.startsWith('src/db/queries/'),
);
const graph = new Map(serverFiles.map((f) => [f, importsOf(f)]));

/** Every import in `files` whose target matches `forbidden`, as "file -> target". */
function violations(files: (f: string) => boolean, forbidden: (i: Import) => boolean): string[] {
  return [...graph]
    .filter(([f]) => files(f))
    .flatMap(([f, imports]) => imports.filter(forbidden).map((i) => `${f} -> ${i.target}`));
}

const under =
  (...dirs: string[]) =>
  (f: string) =>
    dirs.some((d) => f.startsWith(`${d}/`));

describe('architecture', () => {
  it('has no import cycle between files at run time', () => {
    const edges = new Map(
      [...graph].map(([f, imports]) => [
        f,
        imports.filter((i) => !i.typeOnly && graph.has(i.target)).map((i) => i.target),
      ]),
    );
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const next of edges.get(f) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of edges.keys()) if (!state.has(f)) visit(f);
    expect(cycles.map((c) => c.join(' -> '))).toEqual([]);
  });

  it('keeps lib/ below everything: it imports only lib/ and database types', () => {
    expect(
      violations(
        under('src/lib'),
        (i) =>
          i.target.startsWith('src/') &&
          !i.target.startsWith('src/lib/') &&
          !(i.typeOnly && i.target.startsWith('src/db/')),
      ),
    ).toEqual([]);
  });

  it('keeps the database layer free of features: db/ imports only db/ and lib/', () => {
    expect(
      violations(
        under('src/db'),
        (i) => i.target.startsWith('src/') && !under('src/db', 'src/lib')(i.target),
      ),
    ).toEqual([]);
  });

  it('lets nothing but the server and the CLI import the server', () => {
    expect(
      violations(
        (f) => !under('src/server', 'cli')(f),
        (i) => i.target.startsWith('src/server/'),
      ),
    ).toEqual([]);
  });

  it('never lets a route touch the database: routes import no repository and no connection', () => {
    expect(
      violations(
        (f) => f.endsWith('.routes.ts'),
        (i) => i.target.endsWith('.repo.ts') || (!i.typeOnly && i.target.startsWith('src/db/')),
      ),
    ).toEqual([]);
  });

  it('never lets a repository authorize, audit or call a service', () => {
    expect(
      violations(
        (f) => f.endsWith('.repo.ts'),
        (i) => under('src/authz', 'src/audit', 'src/jobs')(i.target) || i.target.endsWith('.service.ts'),
      ),
    ).toEqual([]);
  });

  it('writes audit events only from services, the workflow engine, jobs and the audit module', () => {
    const writers = violations(
      () => true,
      (i) => i.target === 'src/audit/audit.log.ts' && !i.typeOnly,
    ).map((v) => v.split(' -> ')[0] ?? '');
    const allowed = (f: string) =>
      f.endsWith('.service.ts') ||
      f.endsWith('.job.ts') ||
      f === 'src/modules/cases/case-workflow.ts' ||
      // The named steps a service's transaction delegates to (writing a new advisory, filing a report).
      f === 'src/modules/advisory/advisory-record.ts' ||
      f === 'src/modules/cases/intake/report-filing.ts' ||
      // Steps of the fix phase that a transition or a service runs inside its transaction.
      f.endsWith('.steps.ts') ||
      under('src/audit', 'src/server', 'cli')(f);
    expect(writers.filter((f) => !allowed(f))).toEqual([]);
  });

  it('lets the web import only the pure vocabulary it shares with the server', () => {
    // The closure of what the web reaches in src/: each file must be on this list, which holds
    // only dependency-free vocabulary (no database, no Node built-ins, no secrets).
    const SHARED_WITH_WEB = new Set([
      'src/lib/cvss/metrics.ts',
      'src/lib/cvss/vector-parser.ts',
      'src/modules/advisory/advisory.vocabulary.ts',
      'src/modules/cases/case-transitions.ts',
      'src/modules/cases/intake/proof-bits.ts',
      'src/audit/audit.events.ts',
      'src/authz/authz.policy.ts',
      'src/lib/errors.ts',
    ]);
    const reached = new Set<string>();
    const pending = sourceFiles('web/src')
      .flatMap((f) => importsOf(f))
      .map((i) => i.target)
      .filter((t) => t.startsWith('src/'));
    while (pending.length > 0) {
      const next = (pending.pop() ?? '').replace(/\.tsx\?$/, '.ts');
      if (reached.has(next)) continue;
      reached.add(next);
      pending.push(
        ...importsOf(next)
          .map((i) => i.target)
          .filter((t) => t.startsWith('src/')),
      );
    }
    expect([...reached].filter((f) => !SHARED_WITH_WEB.has(f))).toEqual([]);
    for (const f of reached) {
      const packages = importsOf(f).filter((i) => !i.target.startsWith('src/'));
      expect(packages.map((i) => `${f} -> ${i.target}`)).toEqual([]);
    }
  });
});
