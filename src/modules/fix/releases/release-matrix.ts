/**
 * The release matrix (PROCESS.md §5): from the policy's supported release lines and the advisory's
 * affected versions, what must ship. Pure.
 *
 * - A supported line is affected when some affected interval holds some version of it (`1.28.*`).
 * - Some supported line affected: a patch release on every affected supported line (only the newest
 *   one when the policy does not backport to all supported lines), each on its branch
 *   (`branchPattern`), and the fix on the main branch (a `main` row: merged and tested, no release).
 * - No supported line affected, but versions newer than every supported line are (an interval with
 *   no fix, or one that ends above the newest supported line): the main branch is affected, and the
 *   fix goes into the next release from it (a `next` row), a release blocker when the policy says
 *   security fixes block releases. A policy that lists no supported line releases from main only:
 *   any affected version means the next release.
 * - Only unsupported versions affected: no release; a public issue, and a CVE when the severity
 *   warrants one, which Vigil reads as a CVSS score at or above the policy's low-severity threshold
 *   (§4: below it the issue is "low"); unknown until the advisory is scored.
 * - No advisory, or no affected version Vigil can place: `unknown`, saying what to fill in.
 */
import type { AffectedEntry } from '../../advisory/advisory.schemas.js';
import type { Policy } from '../../policy/policy.schema.js';
import { parseLine, readAffected, segmentReachesAbove, segmentTouchesLine } from './version-ranges.js';

export const MATRIX_OUTCOMES = ['patch-releases', 'next-release', 'no-release', 'unknown'] as const;
export type MatrixOutcome = (typeof MATRIX_OUTCOMES)[number];

/** `patch`: a release on a supported line; `main-fix`: the fix merged on main, no release; `next`: the next release from main. */
export const ROW_KINDS = ['patch', 'main-fix', 'next'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** The `line` of the main branch's rows. */
export const MAIN_LINE = 'main';
export const NEXT_LINE = 'next';

/** One thing that must happen before publication: every row is required. */
export interface MatrixRow {
  /** A supported line (`1.28`), `main` or `next`. */
  line: string;
  /** The fix branch in the private repository. */
  branch: string;
  kind: RowKind;
  /** The release this row names must not ship without the fix (policy `securityFixesBlockReleases`). */
  blocker: boolean;
}

export interface ReleaseMatrix {
  outcome: MatrixOutcome;
  /** In words, for the case page. */
  explanation: string;
  rows: MatrixRow[];
  /** Each supported line and whether the advisory's versions touch it (empty when unknown). */
  lines: { line: string; affected: boolean }[];
  /** Only unsupported versions are affected: the issue is fixed in the open. */
  publicIssue: boolean;
  /** Whether a CVE is warranted; null while that cannot be told (unknown, or not scored). */
  cveWarranted: boolean | null;
}

export interface MatrixInput {
  releases: Policy['releases'];
  /** `severity.lowSeverityThreshold` of the policy. */
  lowSeverityThreshold: number;
  /** The advisory's affected entries; null when the case has no advisory yet. */
  affected: readonly AffectedEntry[] | null;
  /** The advisory's CVSS score, if scored. */
  cvssScore: number | null;
}

/** The branch of supported line `line`: the policy's pattern with `{line}` replaced. */
export function branchOf(releases: Policy['releases'], line: string): string {
  return releases.branchPattern.split('{line}').join(line);
}

const listed = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/** Supported lines, oldest first (by their numbers); lines not shaped `X.Y` are left out. */
function supportedLines(releases: Policy['releases']): { line: string; parts: [number, number] }[] {
  return releases.supportedLines
    .flatMap((line) => {
      const parts = parseLine(line);
      return parts ? [{ line, parts }] : [];
    })
    .sort((a, b) => a.parts[0] - b.parts[0] || a.parts[1] - b.parts[1]);
}

function unknown(explanation: string): ReleaseMatrix {
  return { outcome: 'unknown', explanation, rows: [], lines: [], publicIssue: false, cveWarranted: null };
}

/** Works out what must ship for the case (see the module comment). */
export function computeReleaseMatrix(input: MatrixInput): ReleaseMatrix {
  const { releases } = input;
  if (input.affected === null) {
    return unknown(
      "The case has no advisory yet: draft it and fill the advisory's affected versions, and Vigil works out the releases.",
    );
  }
  const reading = readAffected(input.affected);
  if (reading.segments.length === 0) {
    const why =
      reading.unreadable.length > 0
        ? `Vigil cannot place the affected versions ${listed(reading.unreadable.slice(0, 5))}`
        : reading.gitOnly
          ? 'The advisory gives the affected versions only as commits'
          : 'The advisory lists no affected versions';
    return unknown(
      `${why}: fill the advisory's affected versions (SEMVER or ECOSYSTEM ranges, or versions), and Vigil works out the releases.`,
    );
  }
  const lines = supportedLines(releases);
  const affectedLines = lines.filter((l) => reading.segments.some((s) => segmentTouchesLine(s, l.parts)));
  const lineFlags = lines.map((l) => ({ line: l.line, affected: affectedLines.includes(l) }));
  const newest = lines[lines.length - 1];
  const mainAffected = newest
    ? reading.segments.some((s) => segmentReachesAbove(s, newest.parts))
    : reading.segments.length > 0;
  const blocker = releases.securityFixesBlockReleases;
  const main = releases.mainBranch;

  if (affectedLines.length > 0) {
    const patched = releases.backportToAllSupported ? affectedLines : affectedLines.slice(-1);
    const names = patched.map((l) => l.line);
    const rows: MatrixRow[] = [
      ...patched.map((l) => ({
        line: l.line,
        branch: branchOf(releases, l.line),
        kind: 'patch' as const,
        blocker,
      })),
      { line: MAIN_LINE, branch: main, kind: 'main-fix', blocker: false },
    ];
    const skipped = affectedLines.filter((l) => !patched.includes(l)).map((l) => l.line);
    const unaffected = lineFlags.filter((l) => !l.affected).map((l) => l.line);
    const explanation = [
      `Supported ${affectedLines.length === 1 ? 'line' : 'lines'} ${listed(affectedLines.map((l) => l.line))} ${affectedLines.length === 1 ? 'is' : 'are'} affected: a patch release on ${listed(names)} (${listed(patched.map((l) => branchOf(releases, l.line)))}), and the fix on ${main}.`,
      skipped.length > 0
        ? ` The policy does not backport to every supported line: ${listed(skipped)} get${skipped.length === 1 ? 's' : ''} no patch release.`
        : '',
      unaffected.length > 0
        ? ` ${listed(unaffected)} ${unaffected.length === 1 ? 'is' : 'are'} not affected.`
        : '',
    ].join('');
    return {
      outcome: 'patch-releases',
      explanation,
      rows,
      lines: lineFlags,
      publicIssue: false,
      cveWarranted: true,
    };
  }

  if (mainAffected) {
    const explanation = `${newest ? 'No supported line is affected, but the main branch is' : 'The policy lists no supported release line'}: the fix goes on ${main} into the next release${blocker ? ', a release blocker' : ''}.`;
    return {
      outcome: 'next-release',
      explanation,
      rows: [{ line: NEXT_LINE, branch: main, kind: 'next', blocker }],
      lines: lineFlags,
      publicIssue: false,
      cveWarranted: true,
    };
  }

  const threshold = input.lowSeverityThreshold;
  const score = input.cvssScore;
  const cveWarranted = score === null ? null : score >= threshold;
  const cve =
    cveWarranted === null
      ? `score the advisory to know whether a CVE is warranted (at CVSS ${threshold.toFixed(1)} or above)`
      : cveWarranted
        ? `request a CVE (CVSS ${score?.toFixed(1)} is at or above ${threshold.toFixed(1)})`
        : `no CVE (CVSS ${score?.toFixed(1)} is below ${threshold.toFixed(1)})`;
  return {
    outcome: 'no-release',
    explanation: `Only unsupported versions are affected: no release. Open a public issue, and ${cve}.`,
    rows: [],
    lines: lineFlags,
    publicIssue: true,
    cveWarranted,
  };
}
