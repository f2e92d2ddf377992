/**
 * Reading is accountable (issue 11, item 2): every read of a case's confidential content by a
 * signed-in person or the operator is recorded in the case's access log, which the team sees on
 * the case ("who has read this"). The services that decrypt case content call `recordCaseRead`
 * after authorizing and before answering. It fails closed: when the row cannot be written, the
 * read is refused (an unlogged read is exactly what this closes).
 * One row per reader, case and part per ten minutes (`bucket`): the log grows with the people who
 * read, not with page loads. The reporter reading through their private link is not a principal
 * and is not recorded (their own report is not news to them).
 */
import { CASE_ROLES, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { newSortableId } from '../../lib/ids.js';
import { insertCaseRead } from './access-log.repo.js';

/** What was read. `attachment:<id>` names the attachment downloaded. */
export type CaseReadPart =
  | 'case'
  | 'advisory'
  | 'fix'
  | 'repository'
  | 'ci-log'
  | 'retrospective'
  | 'portal'
  | 'public-issue'
  | `attachment:${string}`;

/** The right a read came by. */
export type ReadVia = 'security-team' | (typeof CASE_ROLES)[number] | 'operator';

/** Ten minutes: the granularity of the log. */
export const ACCESS_LOG_BUCKET_SECONDS = 600;

/** By which right `principal` reads this case: its team role first, then its roles in the case. */
export function readVia(principal: Principal, c: { id: string; project_id: string }): ReadVia | undefined {
  if (principal.kind === 'operator') return 'operator';
  if (principal.kind !== 'user') return undefined;
  if (principal.projectRoles.get(c.project_id)?.has('security-team')) return 'security-team';
  const held = principal.caseRoles.get(c.id);
  return CASE_ROLES.find((r) => held?.has(r));
}

/**
 * Records that `principal` read `what` of case `c` (already loaded and authorized by the caller).
 * Anonymous callers and runners never reach case content; calling this for them is a bug and throws.
 */
export async function recordCaseRead(
  db: Db,
  clock: Clock,
  principal: Principal,
  c: { id: string; project_id: string },
  what: CaseReadPart,
): Promise<void> {
  if (principal.kind !== 'user' && principal.kind !== 'operator') {
    throw new Error(`a ${principal.kind} principal cannot read case content`);
  }
  const via = readVia(principal, c);
  if (!via) throw new Error('recordCaseRead: the reader holds no role on this case');
  const now = clock.now();
  const bucket = Math.floor(now.getTime() / 1000 / ACCESS_LOG_BUCKET_SECONDS);
  const readerKey =
    principal.kind === 'user' ? `user:${principal.userId}` : `operator:${principal.name.slice(0, 200)}`;
  const memo = writtenIn(db, bucket);
  const key = `${c.id}\u0000${readerKey}\u0000${what}`;
  // The row of this reader, case and part in this bucket is already written (by this process):
  // the insert would be a no-op, but still a write transaction on SQLite. A new bucket starts over.
  if (memo.has(key)) return;
  await insertCaseRead(db.kysely, {
    id: newSortableId(),
    case_id: c.id,
    project_id: c.project_id,
    principal_kind: principal.kind,
    user_id: principal.kind === 'user' ? principal.userId : null,
    operator_name: principal.kind === 'operator' ? principal.name.slice(0, 200) : null,
    what,
    via,
    reader_is_admin: principal.kind === 'user' && principal.isAdmin ? 1 : 0,
    reader_key: readerKey,
    bucket,
    read_at: now.toISOString(),
  });
  memo.add(key);
}

/**
 * The (case, reader, part) rows this process wrote (or found written) in the current bucket, per
 * database. Bounded: past MEMO_LIMIT it starts over, which only costs a no-op insert.
 */
const written = new WeakMap<Db, { bucket: number; keys: Set<string> }>();
const MEMO_LIMIT = 50_000;

function writtenIn(db: Db, bucket: number): Set<string> {
  let entry = written.get(db);
  if (!entry || entry.bucket !== bucket || entry.keys.size >= MEMO_LIMIT) {
    entry = { bucket, keys: new Set() };
    written.set(db, entry);
  }
  return entry.keys;
}
