/**
 * `vigil cwe`: search and show MITRE CWE entries from the catalogue shipped with Vigil. Needs no
 * database.
 */
import type { Command } from 'commander';
import {
  CWE_CATALOGUE,
  CWE_SEARCH_MAX_LIMIT,
  createCweCatalogue,
  type CweEntry,
} from '../../src/modules/cwe/cwe-catalogue.js';
import { CliError, type Cli } from '../context.js';

/** `--limit` as commander hands it over: a string, unvalidated. */
function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d{1,3}$/.test(text) || value < 1 || value > CWE_SEARCH_MAX_LIMIT) {
    throw new CliError(
      `--limit must be a whole number from 1 to ${CWE_SEARCH_MAX_LIMIT}, got "${text.slice(0, 20)}".`,
      2,
    );
  }
  return value;
}

function line(entry: CweEntry): string {
  return `${entry.id.padEnd(9)} ${entry.name}`;
}

/** The work of `vigil cwe search`: the words joined into one query, ranked as the API ranks them. */
export function runCweSearch(words: string[], opts: { limit?: string | undefined }): CweEntry[] {
  return createCweCatalogue().searchCwe(words.join(' '), parseLimit(opts.limit));
}

/** The work of `vigil cwe show`: one entry; an unknown id fails with not found. */
export function runCweShow(id: string): CweEntry {
  return createCweCatalogue().getCwe(id);
}

/** Registers `vigil cwe search WORDS...` and `vigil cwe show ID`. */
export function registerCweCommand(program: Command, cli: Cli): void {
  const cwe = program
    .command('cwe')
    .description(`search MITRE CWE ${CWE_CATALOGUE.version} weaknesses (no database needed)`);

  cwe
    .command('search')
    .description('find entries by id (79, CWE-79) or by words of their name (cross site, sqli)')
    .argument('<words...>', 'an id, or words that each start a word of the name')
    .option('--limit <n>', `at most this many results (1..${CWE_SEARCH_MAX_LIMIT}, default 20)`)
    .option('--json', 'print the results as JSON')
    .action((words: string[], opts: { limit?: string; json?: boolean }) => {
      const results = runCweSearch(words, opts);
      cli.output(opts.json, results, () =>
        results.length === 0 ? `No CWE entry matches "${words.join(' ')}".` : results.map(line).join('\n'),
      );
    });

  cwe
    .command('show')
    .description('print one entry')
    .argument('<id>', 'CWE-79, cwe-79 or 79')
    .option('--json', 'print the entry as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const entry = runCweShow(id);
      cli.output(opts.json, entry, () => line(entry) + (entry.deprecated ? '\n(deprecated by MITRE)' : ''));
    });
}
