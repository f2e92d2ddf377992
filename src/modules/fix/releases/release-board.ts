/**
 * The release matrix of one case with what the team recorded against it: per required row, the
 * release (version, date, state, link), the newest CI run of the row's branch, the Fix Lead's
 * override, and whether the row blocks. The case page shows it; the transition guards
 * `fixInEveryLine` and `releasesPublished` read their sentences from it.
 *
 * - A row is green when its branch's newest run passed (a newer push makes the row wait for its
 *   own run). Without a test command in the policy no CI exists: no row waits for a green run.
 * - A row is blocked when CI exists and the row is neither green nor overridden (a branch without
 *   any run is blocked).
 * - A release row (patch, next) is published when recorded as published; the main row needs none.
 * - An unknown matrix blocks both: what must ship is not known.
 */
import { latestRunsByBranch } from '../ci/ci.repo.js';
import type { DbReader } from '../../../db/connection.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { currentAdvisoryDocument } from '../../advisory/advisory-record.js';
import type { CaseCipher } from '../../cases/case-view.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import { actorName } from '../actor-name.js';
import { computeReleaseMatrix, type MatrixRow, type ReleaseMatrix } from './release-matrix.js';
import * as repo from './releases.repo.js';

export const RELEASE_STATES = ['planned', 'built', 'published'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

export interface BoardRow extends MatrixRow {
  /** What the team recorded; null for the main row (no release) and for a row not recorded yet. */
  release: {
    version: string | null;
    plannedAt: string | null;
    state: ReleaseState;
    url: string | null;
  } | null;
  /** The newest CI run of the row's branch. */
  ci: { runId: string; state: string; commit: string; queuedAt: string; finishedAt: string | null } | null;
  green: boolean;
  override: { reason: string; by: string; at: string } | null;
  blocked: boolean;
}

export interface ReleaseBoard extends Omit<ReleaseMatrix, 'rows'> {
  rows: BoardRow[];
  /** Whether the policy has a test command (CI runs, and rows wait for green). */
  ciRequired: boolean;
  /** Every row green or overridden and every release published: nothing holds publication. */
  publishable: boolean;
  /** What holds publication, in words. */
  blockers: string[];
}

/** How a row is named in a sentence. */
export function rowName(r: Pick<MatrixRow, 'kind' | 'line' | 'branch'>): string {
  if (r.kind === 'main-fix') return `The fix on ${r.branch}`;
  if (r.kind === 'next') return `The next release (${r.branch})`;
  return `Line ${r.line} (${r.branch})`;
}

/** Sentences for `fixInEveryLine`: each required row without a green run or an override. */
export function fixBlockers(board: Pick<ReleaseBoard, 'outcome' | 'explanation' | 'rows'>): string[] {
  if (board.outcome === 'unknown') return [`The release matrix is unknown. ${board.explanation}`];
  return board.rows
    .filter((r) => r.blocked)
    .map((r) =>
      r.ci
        ? `${rowName(r)} has no green run: its newest run (${r.ci.commit.slice(0, 12)}) is ${r.ci.state}; fix it, or override the line with a reason.`
        : `${rowName(r)} has no CI run: push the fix to ${r.branch}, or override the line with a reason.`,
    );
}

/** Sentences for `releasesPublished`: each required release not recorded as published. */
export function releaseBlockers(board: Pick<ReleaseBoard, 'outcome' | 'explanation' | 'rows'>): string[] {
  if (board.outcome === 'unknown') return [`The release matrix is unknown. ${board.explanation}`];
  return board.rows
    .filter((r) => r.kind !== 'main-fix' && r.release?.state !== 'published')
    .map((r) => {
      const what = r.kind === 'next' ? 'The next release' : `The patch release on ${r.line}`;
      return `${what} is not published${r.release ? ` (${r.release.state})` : ' (not recorded)'}.`;
    });
}

/** The case's release board (see the module comment). */
export async function loadReleaseBoard(
  db: DbReader,
  cipher: Pick<CaseCipher, 'decryptField'>,
  c: CaseRow,
  policy: Policy,
): Promise<ReleaseBoard> {
  const advisory = await currentAdvisoryDocument(db, cipher, c.id);
  const matrix = computeReleaseMatrix({
    releases: policy.releases,
    lowSeverityThreshold: policy.severity.lowSeverityThreshold,
    affected: advisory ? advisory.document.affected : null,
    cvssScore: c.cvss_score,
  });
  const [recorded, runs] = await Promise.all([repo.listReleases(db, c.id), latestRunsByBranch(db, c.id)]);
  const ciRequired = policy.fix.testCommand !== null;
  const rows: BoardRow[] = [];
  for (const row of matrix.rows) {
    const rec = recorded.find((r) => r.line === row.line);
    const run = runs.get(row.branch);
    const green = run?.state === 'passed';
    const override =
      rec?.override_reason_enc && rec.override_at
        ? {
            reason: cipher.decryptField(
              rec.override_reason_enc,
              fieldAad('case_releases', 'override_reason_enc', rec.id),
            ),
            by: await actorName(db, rec.override_by),
            at: rec.override_at,
          }
        : null;
    rows.push({
      ...row,
      release:
        rec && row.kind !== 'main-fix'
          ? {
              version: rec.version,
              plannedAt: rec.planned_at,
              state: rec.state as ReleaseState,
              url: rec.url,
            }
          : null,
      ci: run
        ? {
            runId: run.id,
            state: run.state,
            commit: run.commit,
            queuedAt: run.queuedAt,
            finishedAt: run.finishedAt,
          }
        : null,
      green,
      override,
      blocked: ciRequired && !green && override === null,
    });
  }
  const board = { ...matrix, rows };
  const blockers = [...new Set([...fixBlockers(board), ...releaseBlockers(board)])];
  return { ...board, ciRequired, publishable: blockers.length === 0, blockers };
}
