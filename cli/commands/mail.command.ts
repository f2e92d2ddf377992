/**
 * `vigil mail ingest --project SLUG`: reads one RFC 5322 message on stdin and files it (a new case,
 * or a reply on its case), for an MTA's pipe transport (like rt-mailgate). Exit codes follow
 * sysexits so the MTA knows what to do: 0 stored, 65 unusable input (bounce), 75 try again later.
 */
import type { Command } from 'commander';
import { DEFAULT_MAX_INBOUND_BYTES } from '../../src/mail/inbound/inbound.parser.js';
import { slugSchema } from '../../src/modules/projects/projects.schemas.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

const EX_DATAERR = 65;
const EX_TEMPFAIL = 75;

/** Reads stdin up to `max` bytes; more is an error (the MTA bounces it rather than Vigil cutting it). */
async function readStdin(stdin: AsyncIterable<Buffer | string>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > max) throw new CliError(`The message is larger than ${max} bytes.`, EX_DATAERR);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function registerMailCommand(program: Command, cli: Cli): void {
  const mail = program.command('mail').description('mail intake');
  withDataOption(mail.command('ingest').description('file one RFC 5322 message read on stdin to a project'))
    .requiredOption('--project <slug>', 'the project the message was sent to')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { project: string; data?: string; json?: boolean }) => {
      const slug = parseInput(slugSchema, opts.project, 'project');
      const raw = await readStdin(cli.io.stdin, DEFAULT_MAX_INBOUND_BYTES);
      if (raw.length === 0) throw new CliError('No message on standard input.', EX_DATAERR);
      try {
        await cli.withServices(opts, async (services) => {
          const r = await services.mailIntake.ingest(slug, raw);
          cli.output(opts.json, r, () =>
            [
              r.outcome === 'new-case'
                ? `Filed as ${r.caseHumanId}.`
                : r.outcome === 'reply'
                  ? `Added to ${r.caseHumanId}.`
                  : `Kept on ${r.caseHumanId} for the team (sender is not the reporter).`,
              ...(r.flags.length > 0 ? [`Flags: ${r.flags.join(', ')}`] : []),
            ].join('\n'),
          );
        });
      } catch (err) {
        // An unknown project is the sender's mistake; anything else (database down) is worth a retry.
        if (err instanceof CliError || (err instanceof Error && 'code' in err && err.code === 'not_found'))
          throw err;
        throw new CliError(
          `Could not store the message, try again later: ${err instanceof Error ? err.message : String(err)}`,
          EX_TEMPFAIL,
        );
      }
    });
}
