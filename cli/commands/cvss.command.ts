/**
 * `vigil cvss VECTOR`: validates a CVSS vector (v2.0, v3.0, v3.1 or v4.0) and prints its score
 * and severity. Needs no database. A malformed vector is a ValidationError: main prints every
 * problem and exits 1, as for any invalid input; a missing argument is a usage error (2).
 */
import type { Command } from 'commander';
import { scoreCvss, type CvssScore } from '../../src/lib/cvss/scores.js';
import type { Cli } from '../context.js';

/** The work of `vigil cvss`: the scores of a vector. Throws InvalidCvssVectorError naming each problem. */
export function runCvss(vector: string): CvssScore {
  return scoreCvss(vector);
}

/** The text form: `9.8 critical (CVSS 3.1)`; the score is the most specific one the vector defines. */
export function formatCvssScore(result: CvssScore): string {
  return `${result.score.toFixed(1)} ${result.severity} (CVSS ${result.version})`;
}

/** Registers `vigil cvss`. */
export function registerCvssCommand(program: Command, cli: Cli): void {
  program
    .command('cvss')
    .description(
      'score a CVSS v2.0, v3.0, v3.1 or v4.0 vector and print its severity; a malformed vector fails with the reason (no database needed)',
    )
    .argument(
      '<vector>',
      'e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, CVSS:4.0/AV:N/AC:L/AT:N/..., or a v2.0 vector without prefix (AV:N/AC:L/Au:N/C:P/I:P/A:P)',
    )
    .option(
      '--json',
      'print version, normalised vector, baseScore, temporalScore and environmentalScore (when the vector defines them), score and severity as JSON',
    )
    .action((vector: string, opts: { json?: boolean }) => {
      const result = runCvss(vector);
      cli.output(opts.json, result, () => formatCvssScore(result));
    });
}
