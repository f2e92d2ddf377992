/**
 * `vigil leak trace FILE --case ID`: names the copy of a case's early disclosure that a leaked text
 * (a file, or `-` for standard input; partial or reformatted) most likely came from, with the
 * evidence, as the operator. The same trace as the team's page; the text is not stored.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { MAX_LEAK_BYTES } from '../../src/modules/embargo/early-disclosure/early-disclosure.schemas.js';
import type { LeakTraceService } from '../../src/modules/embargo/early-disclosure/leak-trace.service.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

type Trace = Awaited<ReturnType<LeakTraceService['traceLeak']>>;

/** Registers `vigil leak trace`. */
export function registerLeakCommand(program: Command, cli: Cli): void {
  const leak = program
    .command('leak')
    .description('trace a leaked copy of an early disclosure to its recipient');
  withDataOption(
    leak
      .command('trace')
      .description('name the recipient whose copy of the distributors notice a leaked text came from')
      .argument('<file>', 'the leaked text (- for standard input)')
      .requiredOption('--case <id>', 'the case (CTR-2026-0001)')
      .option('--json', 'print the result as JSON'),
  ).action(async (file: string, opts: { case: string; json?: boolean; data?: string }) => {
    const caseId = parseInput(z.string().trim().min(1).max(64), opts.case, 'case');
    const text = await readLeak(cli, file);
    const result = await cli.withServices(opts, (services, principal) =>
      services.leakTrace.traceLeak(principal, caseId, text),
    );
    cli.output(opts.json, result, () => describeTrace(result));
  });
}

async function readLeak(cli: Cli, file: string): Promise<string> {
  const tooLong = () => new CliError(`The leaked text may be at most ${MAX_LEAK_BYTES} bytes.`, 2);
  let bytes: Buffer;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of cli.io.stdin) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += b.length;
      if (size > MAX_LEAK_BYTES) throw tooLong();
      chunks.push(b);
    }
    bytes = Buffer.concat(chunks);
  } else {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new CliError(`${file} cannot be read.`, 2);
    }
    if (size > MAX_LEAK_BYTES) throw tooLong();
    bytes = readFileSync(file);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new CliError('The leaked text is empty.', 2);
  return text;
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const sci = (p: number) => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/** The trace as text: the verdict, the candidates, and the evidence of the best one. */
export function describeTrace(r: Trace): string {
  const lines = [
    `Case ${r.caseHumanId}: ${r.verdict}${r.method ? ` (${r.method})` : ''}`,
    r.summary,
    `${r.tokens} words read; ${r.slotsObserved} varying places seen; ${r.copiesCompared} copies compared.`,
  ];
  for (const c of r.referenceCodes)
    lines.push(`Reference ${c.code}: ${c.copyId ? 'a copy of this case' : 'no copy of this case'}`);
  for (const m of r.hiddenMarks)
    lines.push(
      `Invisible marks of ${m.code} (${m.marks}): ${m.copyId ? 'a copy of this case' : 'no copy of this case'}`,
    );
  if (r.candidates.length > 0) lines.push('', 'Candidates:');
  r.candidates.forEach((c, i) => {
    lines.push(
      `  ${i + 1}. ${c.name} <${c.email}> (${c.orgName}) ${c.referenceCode}, revision ${c.advisoryRevision}: ` +
        `${c.matched}/${c.observed} agree, p(random) ${sci(c.pRandom)}, posterior ${pct(c.posterior)}`,
    );
  });
  const best = r.candidates[0];
  if (best && best.evidence.length > 0) {
    lines.push('', `Evidence for ${best.name}:`);
    for (const e of best.evidence) {
      lines.push(
        `  ${e.match ? 'agrees ' : 'DIFFERS'} ${e.rule}: copy has "${e.expected}", text has "${e.observed}"`,
      );
    }
  }
  return lines.join('\n');
}
