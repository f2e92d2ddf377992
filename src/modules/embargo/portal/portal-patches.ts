/**
 * The patches a distributor applies to its own packages: for each row of the case's release
 * matrix, the commits of the row's fix branch beyond what was seeded from upstream, as
 * `git format-patch` text, through the fix repository's git helpers (argument arrays, a clean
 * environment, limits). Bounded: at most PER_LINE_BYTES a line and TOTAL_BYTES in all; a larger
 * series is named `too-large` (the team hands it over otherwise). A series that names what the
 * distributors' view masks (a CVE id in any spelling, the reporter's or a credited person's name,
 * handle or address: in a commit's author, a `Reported-by:` trailer, a diff) is `withheld` whole,
 * with the reason for the team: a patch cannot be masked without breaking it.
 */
import type { DbReader } from '../../../db/connection.js';
import type { ReleaseBoard } from '../../fix/releases/release-board.js';
import { GitError } from '../../fix/repository/git-process.js';
import type { GitStore } from '../../fix/repository/git-store.js';
import { basesOf, seedRefsOf } from '../../fix/repository/repository-view.js';
import { findCaseRepository } from '../../fix/repository/repository.repo.js';
import { withheldIn, type WithheldKind, type WithheldWords } from './distributor-view.js';
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
  /** Why a `withheld` series was not served (for the team; names no content), else null. */
  reason: string | null;
}

const WITHHELD_REASONS: Record<WithheldKind, string> = {
  'cve-id': 'names a CVE id',
  identity: 'names the reporter or a credited person',
};

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?q?Zo=C3=AB?=`), as `git format-patch` writes a
 * non-ASCII author or subject, so that the scan reads the names themselves.
 */
export function decodeEncodedWords(text: string): string {
  return text
    .replace(/(\?=)[ \t]*\r?\n?[ \t]+(=\?)/g, '$1$2')
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (all, charset: string, enc: string, data: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(
                data
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              );
        return new TextDecoder(charset.split('*')[0]).decode(bytes);
      } catch {
        return all;
      }
    });
}

/** Why `mbox` may not reach a distributor ("names a CVE id"), or null when it names nothing withheld. */
export function withheldPatchReason(mbox: string, withheld: WithheldWords): string | null {
  const decoded = decodeEncodedWords(mbox);
  const kinds = new Set([
    ...withheldIn(mbox, withheld),
    ...(decoded === mbox ? [] : withheldIn(decoded, withheld)),
  ]);
  if (kinds.size === 0) return null;
  return [...kinds].map((k) => WITHHELD_REASONS[k]).join(' and ');
}

/**
 * Each matrix row's patch series, in the matrix's order; a series that names a `withheld` word is
 * withheld (no text, the reason).
 */
export async function patchesOf(
  db: DbReader,
  store: GitStore,
  caseId: string,
  board: Pick<ReleaseBoard, 'rows'>,
  withheld: WithheldWords,
): Promise<LinePatch[]> {
  const base = (r: ReleaseBoard['rows'][number]) => ({
    line: r.line,
    branch: r.branch,
    kind: r.kind,
    mbox: null,
    commits: 0,
    bytes: 0,
    reason: null,
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
      const reason = commits > 0 ? withheldPatchReason(mbox, withheld) : null;
      out.push({
        ...base(r),
        state: reason ? 'withheld' : commits > 0 ? 'ready' : 'empty',
        mbox: commits > 0 && !reason ? mbox : null,
        commits,
        bytes,
        reason,
      });
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      out.push({ ...base(r), state: /larger than/.test(err.message) ? 'too-large' : 'unavailable' });
    }
  }
  return out;
}
