/**
 * Query snapshots: the SQL each exported data-access function sends, recorded from a representative
 * call on PostgreSQL and on SQLite and committed as `<module>.sql` beside this file, so that an edit
 * which changes a statement (and so maybe its plan) shows in review. One declaration per module
 * (`<module>.queries.ts`) names a call for every exported function; query-snapshots.test.ts
 * compares, and `npm run db:queries` rewrites the files.
 */
import { basename } from 'node:path';
import { format } from 'sql-formatter';
import type { Dialect } from '../connection.js';
import { recordStatements, type QueryTarget, type Reply } from './query-recorder.js';

export type { QueryTarget, Reply, Row } from './query-recorder.js';

/** One call: a function of the target, or one with the canned rows its statements need to go on. */
export type RecordedCall =
  ((target: QueryTarget) => unknown) | { run: (target: QueryTarget) => unknown; replies: Reply[] };

/** For an export that never touches the database; the reason is printed in the snapshot. */
export interface NoQueries {
  noQueries: string;
}

/** A call, several named calls (variants for branches that send different SQL), or none. */
export type FunctionQueries = RecordedCall | NoQueries | { [variant: string]: RecordedCall };

type Callable = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);
/** The names of a module's exported functions (and classes): each must be declared. */
export type ExportedFunctionNames<M> = { [K in keyof M]: M[K] extends Callable ? K : never }[keyof M] &
  string;

export interface QueryDeclaration {
  /** The module, from the repository root: `src/modules/accounts/accounts.repo.ts`. */
  source: string;
  /** Its exports (the `import * as` namespace), to check that every function is declared. */
  exports: Readonly<Record<string, unknown>>;
  calls: Readonly<Record<string, FunctionQueries>>;
}

/**
 * Declares the recorded calls of `module` (imported `* as`): one entry per exported function,
 * which TypeScript enforces, in the order the snapshot should show them.
 */
export function declareQueries<M extends object>(
  source: string,
  module: M,
  calls: { [K in ExportedFunctionNames<M>]: FunctionQueries },
): QueryDeclaration {
  return { source, exports: module as Readonly<Record<string, unknown>>, calls };
}

/** Marks an export that sends no SQL, saying why. */
export function noQueries(reason: string): NoQueries {
  return { noQueries: reason };
}

/** The snapshot's file name, beside this file: `accounts.repo.ts` -> `accounts.repo.sql`. */
export function snapshotFileOf(declaration: QueryDeclaration): string {
  return basename(declaration.source).replace(/\.ts$/, '.sql');
}

/** The exported functions (and classes) of the module that the declaration leaves out. */
export function undeclaredFunctions(declaration: QueryDeclaration): string[] {
  return Object.entries(declaration.exports)
    .filter(([name, value]) => typeof value === 'function' && !(name in declaration.calls))
    .map(([name]) => name);
}

function isRecordedCall(value: FunctionQueries): value is RecordedCall {
  return typeof value === 'function' || typeof (value as { run?: unknown }).run === 'function';
}

function isNoQueries(value: FunctionQueries): value is NoQueries {
  return typeof (value as { noQueries?: unknown }).noQueries === 'string';
}

function formatStatement(statement: string, dialect: Dialect): string {
  if (/^(begin|commit|rollback)$/.test(statement)) return `${statement};`;
  const text = format(statement, {
    language: dialect === 'postgres' ? 'postgresql' : 'sqlite',
    keywordCase: 'preserve',
    // Numbered on both dialects (query-recorder.ts); SQLite's formatter expects `?` otherwise.
    paramTypes: { numbered: ['$'] },
  });
  return `${text};`;
}

async function recordCall(call: RecordedCall, dialect: Dialect, label: string): Promise<string[]> {
  const [run, replies] = typeof call === 'function' ? [call, []] : [call.run, call.replies];
  let statements: string[];
  try {
    statements = await recordStatements(dialect, run, replies);
  } catch (err) {
    throw new Error(`${label} [${dialect}]: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (statements.length === 0) {
    throw new Error(
      `${label} [${dialect}] sent no statement: give it arguments that reach the database, ` +
        'or declare it with noQueries(reason) if it never does.',
    );
  }
  return statements.map((s) => formatStatement(s, dialect));
}

/**
 * One call's section: the statements both dialects send alike once, and where they differ, each
 * dialect's own (statement by statement when they send as many, else the whole sequence of each).
 */
function section(label: string, postgres: string[], sqlite: string[]): string[] {
  if (postgres.length !== sqlite.length) {
    return [`-- ${label} [postgres]`, postgres.join('\n\n'), '', `-- ${label} [sqlite]`, sqlite.join('\n\n')];
  }
  const statements = postgres.map((pg, i) => {
    const lite = sqlite[i] ?? '';
    return pg === lite ? pg : `-- [postgres]\n${pg}\n-- [sqlite]\n${lite}`;
  });
  return [`-- ${label} [postgres, sqlite]`, statements.join('\n\n')];
}

/** The snapshot text of one module: every declared call, compiled and formatted for both dialects. */
export async function renderSnapshot(declaration: QueryDeclaration): Promise<string> {
  const out = [
    `-- Query snapshot of ${declaration.source}: the statements each exported function sends,`,
    `-- recorded from the calls in ${snapshotFileOf(declaration).replace(/\.sql$/, '.queries.ts')} on PostgreSQL and SQLite.`,
    '-- Generated by `npm run db:queries`: review its diff with the change that caused it; never edit it.',
    '-- Parameters are numbered on both dialects ($1, $2, ...; SQLite receives them as ?).',
  ];
  for (const [name, queries] of Object.entries(declaration.calls)) {
    if (isNoQueries(queries)) {
      out.push('', `-- ${name}: no statement (${queries.noQueries})`);
      continue;
    }
    const variants: [string, RecordedCall][] = isRecordedCall(queries)
      ? [[name, queries]]
      : Object.entries(queries).map(([variant, call]) => [`${name} (${variant})`, call]);
    for (const [label, call] of variants) {
      const postgres = await recordCall(call, 'postgres', `${declaration.source} ${label}`);
      const sqlite = await recordCall(call, 'sqlite', `${declaration.source} ${label}`);
      out.push('', ...section(label, postgres, sqlite));
    }
  }
  return `${out.join('\n')}\n`;
}
