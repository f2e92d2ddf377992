/**
 * The patches a distributor applies to its own packages: for each row of the case's release
 * matrix, the commits of the row's fix branch beyond what was seeded from upstream, as
 * `git format-patch` text, through the fix repository's git helpers (argument arrays, a clean
 * environment, limits). Bounded: at most PER_LINE_BYTES a line and TOTAL_BYTES in all; a larger
 * series is named `too-large` (the team hands it over otherwise).
 */
import type { DbReader } from '../../../db/connection.js';
import type { ReleaseBoard } from '../../fix/releases/release-board.js';
import { GitError } from '../../fix/repository/git-process.js';
import type { GitStore } from '../../fix/repository/git-store.js';
import { basesOf, seedRefsOf } from '../../fix/repository/repository-view.js';
import { findCaseRepository } from '../../fix/repository/repository.repo.js';
import type { PATCH_STATES } from './portal.schemas.js';

export const PER_LINE_BYTES = 1024 * 1024;
export const TOTAL_BYTES = 4 * 1024 * 1024;

export interface LinePatch {
  line: string;
  branch: string;
  kind: string;
  state: (typeof PATCH_STATES)[number];
  mbox: string | null;
  commits: number;
  bytes: number;
}

/** Each matrix row's patch series, in the matrix's order; the lines that were exported (for the log). */
export async function patchesOf(
  db: DbReader,
  store: GitStore,
  caseId: string,
  board: Pick<ReleaseBoard, 'rows'>,
): Promise<LinePatch[]> {
  const base = (r: ReleaseBoard['rows'][number]) => ({
    line: r.line,
    branch: r.branch,
    kind: r.kind,
    mbox: null,
    commits: 0,
    bytes: 0,
  });
  const row = await findCaseRepository(db, caseId);
  const readable =
    row && (row.state === 'ready' || row.state === 'read-only') && (await store.exists(caseId));
  if (!row || !readable) return board.rows.map((r) => ({ ...base(r), state: 'unavailable' as const }));
  const seeds = seedRefsOf(row);
  let budget = TOTAL_BYTES;
  const out: LinePatch[] = [];
  for (const r of board.rows) {
    if (!(await store.branchHead(caseId, r.branch))) {
      out.push({ ...base(r), state: 'no-branch' });
      continue;
    }
    if (budget <= 0) {
      out.push({ ...base(r), state: 'too-large' });
      continue;
    }
    try {
      const mbox = await store.formatPatches(caseId, r.branch, basesOf(seeds, r.branch), {
        maxBytes: Math.min(PER_LINE_BYTES, budget),
      });
      const bytes = Buffer.byteLength(mbox, 'utf8');
      budget -= bytes;
      const commits = (mbox.match(/^From [0-9a-f]{40,64} /gm) ?? []).length;
      out.push({
        ...base(r),
        state: commits > 0 ? 'ready' : 'empty',
        mbox: commits > 0 ? mbox : null,
        commits,
        bytes,
      });
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      out.push({ ...base(r), state: /larger than/.test(err.message) ? 'too-large' : 'unavailable' });
    }
  }
  return out;
}
