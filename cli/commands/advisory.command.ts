/**
 * `vigil advisory export ID --format osv|cve5|csaf|ghsa|vex`: an advisory in a standard format, on stdout or to a file.
 * `vigil advisory import PATH --project SLUG`: OSV or GitHub advisory files become published advisories.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../src/modules/advisory/export/export.service.js';
import { VEX_JUSTIFICATIONS } from '../../src/modules/advisory/export/csaf.js';
import type {
  FailedEntry,
  ImportProgress,
  ImportReport,
  ImportSource,
} from '../../src/modules/advisory/import/import.service.js';
import { CliError, withDataOption, type Cli, type TextOut } from '../context.js';
import { parseInput } from '../parse.js';

/** The largest advisory file `advisory import` reads (GitHub's largest records are well under 1 MiB). */
const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;

export function registerAdvisoryCommand(program: Command, cli: Cli): void {
  const advisory = program.command('advisory').description('advisories');
  withDataOption(
    advisory
      .command('export <id>')
      .description(
        'export an advisory (by advisory id, case id or case uuid) as OSV, CVE JSON 5.1, CSAF 2.0, GitHub format, ' +
          'or a CSAF VEX document saying the listed products are not affected',
      ),
  )
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--justification <flag>', `vex: why not affected (${VEX_JUSTIFICATIONS.join('|')})`)
    .option('--impact <text>', 'vex: the impact statement')
    .option(
      '--draft',
      'cve5: a draft is no CVE record; give its CNA container ({ cnaContainer }, no record state)',
    )
    .option('--output <file>', 'write to a file instead of standard output')
    .action(
      async (
        id: string,
        opts: {
          format: string;
          justification?: string;
          impact?: string;
          draft?: boolean;
          output?: string;
          data?: string;
        },
      ) => {
        const format = parseInput(z.enum(EXPORT_FORMATS), opts.format, 'format');
        const ref = parseInput(z.string().trim().min(1).max(64), id, 'id');
        const vex = {
          justification:
            opts.justification === undefined
              ? undefined
              : parseInput(z.enum(VEX_JUSTIFICATIONS), opts.justification, 'justification'),
          impact:
            opts.impact === undefined ? undefined : parseInput(z.string().max(2000), opts.impact, 'impact'),
        };
        await cli.withServices(opts, async (services, principal) => {
          const { document, filename } = await services.advisoryExport.exportAdvisory(
            principal,
            ref,
            format,
            vex,
            { cve5Draft: opts.draft === true },
          );
          const text = `${JSON.stringify(document, null, 2)}\n`;
          if (opts.output) {
            writeFileSync(opts.output, text);
            cli.err(`Wrote ${opts.output} (${filename}).`);
          } else cli.io.stdout.write(text);
        });
      },
    );
  withDataOption(
    advisory
      .command('import <path>')
      .description(
        'import OSV or GitHub advisory JSON files (one file, or every *.json in a folder) as published advisories of a project',
      ),
  )
    .requiredOption('--project <slug>', 'the project the advisories belong to')
    .option('--json', 'print the report as JSON')
    .action(async (path: string, opts: { project: string; json?: boolean; data?: string }) => {
      const slug = parseInput(z.string().trim().min(1).max(64), opts.project, 'project');
      const { sources, unreadable } = readImportFiles(path);
      await cli.withServices(opts, async (services, principal) => {
        const report = await services.advisoryImport.importRecords(
          principal,
          slug,
          sources,
          progressPrinter(cli.io.stderr, sources.length),
        );
        report.failed.push(...unreadable);
        cli.output(opts.json, report, () => formatImportReport(report, slug));
        if (report.failed.length) cli.exitCode = 1;
      });
    });
}

/** The files at `path` (a .json file, or a folder's *.json files in name order), and those too big or unreadable. */
function readImportFiles(path: string): { sources: ImportSource[]; unreadable: FailedEntry[] } {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.toLowerCase().endsWith('.json'))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch {
    throw new CliError(`${path}: no such file or folder.`);
  }
  if (!files.length) throw new CliError(`${path}: no .json files in this folder.`);
  const sources: ImportSource[] = [];
  const unreadable: FailedEntry[] = [];
  for (const file of files) {
    const name = basename(file);
    try {
      const size = statSync(file).size;
      if (size > MAX_IMPORT_FILE_BYTES) {
        unreadable.push({
          name,
          sourceId: null,
          issues: [{ path: '(file)', message: `${size} bytes; an advisory file is at most 5 MiB` }],
        });
      } else sources.push({ name, text: readFileSync(file, 'utf8') });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      unreadable.push({ name, sourceId: null, issues: [{ path: '(file)', message: `unreadable: ${why}` }] });
    }
  }
  return { sources, unreadable };
}

/** A progress bar on a terminal's standard error; one line per record otherwise. */
function progressPrinter(stderr: TextOut, total: number): (p: ImportProgress) => void {
  const tty = stderr.isTTY === true;
  return (p) => {
    const label = p.sourceId ?? p.name;
    if (!tty) {
      stderr.write(`${p.done}/${total} ${p.outcome} ${label}\n`);
      return;
    }
    const width = 20;
    const filled = Math.round((p.done / Math.max(total, 1)) * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    stderr.write(`\r\x1b[2K${bar} ${p.done}/${total} ${label.slice(0, 50)}`);
    if (p.done === total) stderr.write('\n');
  };
}

/** The import report as text: what was imported (and what of it did not map), skipped, failed. */
function formatImportReport(r: ImportReport, slug: string): string {
  const lines = [
    `Imported ${r.imported.length}, skipped ${r.skipped.length}, failed ${r.failed.length} (project ${slug}).`,
  ];
  for (const i of r.imported) {
    lines.push(
      `  imported ${i.sourceId} as ${i.advisoryId} (case ${i.caseHumanId}, ${i.state}) from ${i.name}`,
    );
    for (const u of i.unmapped) lines.push(`      not mapped: ${u.path}: ${u.reason}`);
  }
  for (const s of r.skipped) lines.push(`  skipped  ${s.sourceId} from ${s.name}: ${s.reason}`);
  for (const f of r.failed) {
    lines.push(`  FAILED   ${f.name}${f.sourceId ? ` (${f.sourceId})` : ''}: nothing of it was written`);
    for (const i of f.issues) lines.push(`      - ${i.path}: ${i.message}`);
  }
  return lines.join('\n');
}
