/** `vigil advisory export ID --format osv|cve5|csaf|ghsa`: an advisory in a standard format, on stdout or to a file. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../src/modules/advisory/advisory-export.service.js';
import { withDataOption, withServices } from '../context.js';
import { parseInput } from '../parse.js';

export function registerAdvisoryCommand(program: Command): void {
  const advisory = program.command('advisory').description('advisories');
  withDataOption(
    advisory
      .command('export <id>')
      .description(
        'export an advisory (by advisory id, case id or case uuid) as OSV, CVE JSON 5.1, CSAF 2.0 or GitHub format',
      ),
  )
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (id: string, opts: { format: string; output?: string; data?: string }) => {
      const format = parseInput(z.enum(EXPORT_FORMATS), opts.format, 'format');
      const ref = parseInput(z.string().trim().min(1).max(64), id, 'id');
      await withServices(opts, async (services, principal) => {
        const { document, filename } = await services.advisoryExport.exportAdvisory(principal, ref, format);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (opts.output) {
          writeFileSync(opts.output, text);
          console.error(`Wrote ${opts.output} (${filename}).`);
        } else process.stdout.write(text);
      });
    });
}
