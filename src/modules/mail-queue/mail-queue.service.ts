/**
 * The mail queue (issue 13, item 3): whether mail goes out, for the banner the admins and the teams
 * see, and the admins' list of mail jobs. Ids, kinds, states, times and the mailer's error text only
 * (which never holds an address, src/mail/README.md): never a recipient or what a mail says.
 */
import { authorize, can, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';
import { MAIL_JOB_KINDS } from './mail-job-kinds.js';
import * as repo from './mail-queue.repo.js';

/** Mail waiting longer than this means mail is failing (SMTP down, or no instance sends it). */
export const MAIL_STALE_MS = 15 * 60_000;
/** A mail job failed for good within this window means mail is failing. */
export const MAIL_FAILED_WINDOW_MS = 60 * 60_000;
/** Sent mail stays in the list this long. */
export const MAIL_SENT_SHOWN_MS = 24 * 60 * 60_000;

export type MailJobState = 'scheduled' | 'queued' | 'retrying' | 'sending' | 'failed' | 'sent';
export type MailHealth = 'ok' | 'not-configured' | 'failing';

export interface MailQueueDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  /** Whether this instance has VIGIL_SMTP_URL (a mailer that can send). */
  mailConfigured: boolean;
}

export type MailQueueService = ReturnType<typeof createMailQueueService>;

function displayState(row: { state: string; attempts: number; run_at: string }, now: string): MailJobState {
  if (row.state === 'done') return 'sent';
  if (row.state === 'failed') return 'failed';
  if (row.state === 'running') return 'sending';
  if (row.attempts > 0) return 'retrying';
  // A reminder waits for its time: not late, not queued.
  return row.run_at > now ? 'scheduled' : 'queued';
}

/** The case a job's payload names, when it names one (payloads hold ids only). */
function payloadCaseId(payloadJson: string): string | undefined {
  try {
    const payload = JSON.parse(payloadJson) as unknown;
    if (typeof payload === 'object' && payload !== null && 'caseId' in payload) {
      const id = (payload as { caseId: unknown }).caseId;
      if (typeof id === 'string' && id.length <= 64) return id;
    }
  } catch {
    // Not JSON: no case to name.
  }
  return undefined;
}

export function createMailQueueService(deps: MailQueueDeps) {
  const k = deps.db.kysely;
  const cursors = lazyCursorCodec(deps);
  const ago = (ms: number) => new Date(deps.clock.now().getTime() - ms).toISOString();

  async function summary() {
    const counts = await repo.mailQueueCounts(k, MAIL_JOB_KINDS, ago(0), ago(MAIL_FAILED_WINDOW_MS));
    const oldest = counts.oldestQueuedAt;
    const state: MailHealth = !deps.mailConfigured
      ? 'not-configured'
      : counts.failedRecently > 0 || (oldest !== null && oldest < ago(MAIL_STALE_MS))
        ? 'failing'
        : 'ok';
    return { ...counts, state };
  }

  return {
    /**
     * Whether mail goes out, for the banner: `not-configured` without SMTP, `failing` when a due mail
     * waits for more than 15 minutes or one failed within the hour (reminders not yet due do not count).
     * Admins and security-team members.
     */
    async mailStatus(principal: Principal) {
      // The banner is about the instance's mail: a security-team role on any project admits.
      const projectId =
        principal.kind === 'user'
          ? [...principal.projectRoles.keys()].find((id) =>
              can(principal, 'instance.mail-status.read', { projectId: id }),
            )
          : undefined;
      authorize(principal, 'instance.mail-status.read', {
        ...(projectId !== undefined && { projectId }),
        label: 'The mail status',
      });
      const s = await summary();
      return {
        state: s.state,
        queued: s.queued,
        failed: s.failedRecently,
        since: s.state === 'ok' ? null : s.oldestQueuedAt,
      };
    },

    /** The mail jobs, newest first (sent ones for a day), and the queue's summary. Admins only. */
    async listMailQueue(principal: Principal, page: { cursor?: string | undefined; limit: number }) {
      authorize(principal, 'instance.mail-queue.read', { label: 'The mail queue' });
      const codec = await cursors();
      const after = cursorKey(codec.decode('mail-queue', {}, page.cursor), ['string', 'string']);
      const { rows, nextCursor } = keysetPage(
        await repo.listMailJobs(
          k,
          MAIL_JOB_KINDS,
          ago(MAIL_SENT_SHOWN_MS),
          after && { createdAt: after[0], id: after[1] },
          page.limit + 1,
        ),
        page.limit,
        (last) => codec.encode('mail-queue', {}, [last.created_at, last.id]),
      );
      const caseIds = [
        ...new Set(rows.map((r) => payloadCaseId(r.payload_json)).filter((id) => id !== undefined)),
      ];
      const humanIds = new Map(
        caseIds.length === 0 ? [] : (await repo.caseHumanIds(k, caseIds)).map((c) => [c.id, c.human_id]),
      );
      const s = await summary();
      const now = ago(0);
      return {
        summary: {
          configured: deps.mailConfigured,
          state: s.state,
          queued: s.queued,
          scheduled: s.scheduled,
          failed: s.failed,
          oldestQueuedAt: s.oldestQueuedAt,
        },
        jobs: rows.map((r) => {
          const caseId = payloadCaseId(r.payload_json);
          const state = displayState(r, now);
          return {
            id: r.id,
            kind: r.kind,
            state,
            caseHumanId: (caseId !== undefined && humanIds.get(caseId)) || null,
            attempts: r.attempts,
            maxAttempts: r.max_attempts,
            nextAttemptAt:
              state === 'scheduled' || state === 'queued' || state === 'retrying' ? r.run_at : null,
            lastError: r.last_error,
            createdAt: r.created_at,
            finishedAt: r.finished_at,
          };
        }),
        nextCursor,
      };
    },
  };
}
