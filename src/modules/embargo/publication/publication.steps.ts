/**
 * Publication's steps, run inside a caller's transaction (PROCESS.md §8): scheduling the job that
 * publishes at the agreed instant (and the "a fix is coming" notice ahead of it), cancelling it when
 * the case goes back to work, recording a hold, and the effects of entering `published` (for the
 * job and for the team's own transition alike). See README.md in this folder for the guarantees.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import { cancelJob, enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, ValidationError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import * as advisoryRepo from '../../advisory/advisory.repo.js';
import type { CaseCipher } from '../../cases/case-view.js';
import { projectContextById } from '../../cases/case-context.js';
import * as casesRepo from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import { enqueueWebhookDeliveries } from '../../webhooks/webhooks.steps.js';
import { renderPublication } from './publication-render.js';
import * as repo from './publication.repo.js';
import { loadCaseAdvisory, type CaseAdvisory } from './published-advisory.js';

export const PUBLISH_JOB = 'publication.publish';
export const FIX_COMING_JOB = 'publication.fix-coming';
export const PUBLICATION_MAIL_JOB = 'publication.mail';
export const HOLD_ALERT_JOB = 'publication.hold-alert';
/** A held publication is tried again this often, until nothing holds it or the team reschedules. */
export const RETRY_MINUTES = 15;
/** An SMTP server refusing for a while: about 1.5 hours of retries (the runner's backoff doubles from 10 s). */
export const MAIL_MAX_ATTEMPTS = 10;

export const PUBLICATION_STATES = ['scheduled', 'held', 'published', 'cancelled'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];
/** States in which the publication still waits for its instant or its blockers. */
export const PENDING_STATES: readonly PublicationState[] = ['scheduled', 'held'];

export const CHANNELS = ['announcement', 'fix-coming', 'follow-up'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The ref of a fix-coming notice: its release instant and the schedule's generation, so that an
 * instant that comes back (A, then B, then A) is a new notice, not the first one's row.
 */
export const fixComingRef = (at: string, generation: number): string => `${at}#${generation}`;
/** The release instant a fix-coming notice's ref names. */
export const fixComingInstant = (ref: string): string => ref.split('#')[0] ?? ref;

/** Vigil itself, when the schedule moves a publication. */
export const PUBLICATION_ACTOR: Actor = { type: 'system', id: 'publication' };

const DAY_MS = 24 * 3_600_000;

/** How a publication record names who published: a user id, `operator:<name>`, or `system`. */
function storedBy(actor: Actor): string {
  if (actor.type === 'user') return actor.id;
  if (actor.type === 'operator') return `operator:${actor.id}`;
  return 'system';
}

const publishKey = (caseId: string, generation: number, seq: number) =>
  `${PUBLISH_JOB}:${caseId}:${generation}:${seq}`;

/** The announcement addresses of the policy, each once. */
export function announcementAddresses(policy: Policy): string[] {
  return [...new Set(policy.disclosure.announcement.addresses.map((a) => a.trim().toLowerCase()))];
}

/**
 * Schedules the publication of case `caseId` at instant `at` (idempotent: the same instant of a
 * pending publication changes nothing). A new instant starts a new generation: the job of the old
 * one does nothing when it runs, and an open hold ends as rescheduled. A published case is left as
 * it is. When the policy tells users a fix is coming, that notice is scheduled too.
 */
export async function schedulePublication(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  at: string,
): Promise<void> {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`schedulePublication: "${at}" is not an instant`);
  const atIso = instant.toISOString();
  const c = await casesRepo.findCaseById(trx, caseId);
  if (!c) throw new Error(`schedulePublication: no case ${caseId}`);
  const pub = await repo.findPublication(trx, caseId);
  if (pub?.state === 'published') return;
  if (pub && PENDING_STATES.includes(pub.state as PublicationState) && pub.scheduled_for === atIso) return;
  const now = clock.now().toISOString();
  const generation = (pub?.generation ?? 0) + 1;
  const key = publishKey(caseId, generation, 1);
  const fields = {
    state: 'scheduled',
    scheduled_for: atIso,
    generation,
    attempt_seq: 1,
    pending_job_key: key,
    next_attempt_at: atIso,
    fix_coming_note: null,
    updated_at: now,
  };
  if (pub) {
    if (pub.pending_job_key) await cancelJob(trx, pub.pending_job_key);
    await repo.endOpenHold(trx, caseId, { ended_at: now, ended_by: 'rescheduled' });
    const moved = await repo.updatePublication(trx, caseId, { states: [pub.state] }, fields);
    if (!moved)
      throw new ConflictError(`The publication of case ${c.human_id} changed meanwhile; try again.`);
  } else {
    await repo.insertPublication(trx, {
      case_id: caseId,
      project_id: c.project_id,
      ...fields,
      fix_coming_for: null,
      announcement_note: null,
      published_at: null,
      published_by: null,
      created_at: now,
    });
  }
  await enqueueJob(trx, clock, {
    kind: PUBLISH_JOB,
    payload: { caseId, generation },
    runAt: instant,
    uniqueKey: key,
  });
  await appendAuditEvent(trx, clock, {
    actor: PUBLICATION_ACTOR,
    action: 'publication.scheduled',
    subject: { type: 'case', id: caseId },
    projectId: c.project_id,
    data: { at: atIso, generation, previousAt: pub?.scheduled_for ?? null },
  });
  const { policy } = await projectContextById(trx, c.project_id);
  await scheduleFixComing(trx, clock, c, policy, { generation, at: atIso, seq: 0 });
}

/**
 * Schedules the "a fix is coming" notice (Emissary, PROCESS.md §8) when the policy asks for it:
 * as soon as the instant is known, but not before the policy's window opens (`usersToldOfFix.minDays`
 * after acceptance); its due instant is the window's end, which the phase clock watches. The job
 * sends nothing once the release instant is reached.
 */
export async function scheduleFixComing(
  trx: DbTransaction,
  clock: Clock,
  c: Pick<casesRepo.CaseRow, 'id' | 'accepted_at'>,
  policy: Policy,
  plan: { generation: number; at: string; seq: number | string },
): Promise<boolean> {
  const window = policy.fix.usersToldOfFix;
  if (!window) return false;
  const now = clock.now().getTime();
  const opens = c.accepted_at ? Date.parse(c.accepted_at) + window.minDays * DAY_MS : now;
  const runAt = Math.max(now, opens);
  if (runAt >= Date.parse(plan.at)) return false;
  await enqueueJob(trx, clock, {
    kind: FIX_COMING_JOB,
    payload: { caseId: c.id, generation: plan.generation },
    runAt: new Date(runAt),
    uniqueKey: `${FIX_COMING_JOB}:${c.id}:${plan.generation}:${plan.seq}`,
  });
  return true;
}

/**
 * Queues another publication attempt of `pub`'s generation at `runAt` (a retry after a hold, or
 * now), replacing the one pending. Returns false when the publication is not pending any more.
 */
export async function queuePublishAttempt(
  trx: DbTransaction,
  clock: Clock,
  pub: repo.PublicationRow,
  runAt: Date,
  patch: Partial<repo.PublicationRow> = {},
): Promise<boolean> {
  const seq = pub.attempt_seq + 1;
  const key = publishKey(pub.case_id, pub.generation, seq);
  const moved = await repo.updatePublication(
    trx,
    pub.case_id,
    { states: PENDING_STATES, generation: pub.generation },
    {
      ...patch,
      attempt_seq: seq,
      pending_job_key: key,
      next_attempt_at: runAt.toISOString(),
      updated_at: clock.now().toISOString(),
    },
  );
  if (!moved) return false;
  if (pub.pending_job_key) await cancelJob(trx, pub.pending_job_key);
  await enqueueJob(trx, clock, {
    kind: PUBLISH_JOB,
    payload: { caseId: pub.case_id, generation: pub.generation },
    runAt,
    uniqueKey: key,
  });
  return true;
}

/**
 * Something that held the publication may be gone (a release was recorded as published, the team
 * asked): a held publication is tried now, and (unless `what` says not) a fix-coming notice still
 * owed is queued again.
 * Returns what was queued; nothing when the publication is not held and no notice is owed.
 */
export async function retryPublication(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  what: { fixComing: boolean } = { fixComing: true },
): Promise<{ publish: boolean; fixComing: boolean; holdId: string | null }> {
  const pub = await repo.findPublication(trx, caseId);
  const c = await casesRepo.findCaseById(trx, caseId);
  const none = { publish: false, fixComing: false, holdId: null };
  if (!pub || !c || !PENDING_STATES.includes(pub.state as PublicationState)) return none;
  const hold = pub.state === 'held' ? await repo.findOpenHold(trx, caseId) : undefined;
  const publish = pub.state === 'held' && (await queuePublishAttempt(trx, clock, pub, clock.now()));
  let fixComing = false;
  const owed = pub.scheduled_for !== null && pub.fix_coming_for !== pub.scheduled_for;
  if (what.fixComing && c.state === 'disclosure-scheduled' && owed && pub.scheduled_for) {
    const { policy } = await projectContextById(trx, c.project_id);
    fixComing = await scheduleFixComing(trx, clock, c, policy, {
      generation: pub.generation,
      at: pub.scheduled_for,
      seq: `retry-${clock.now().getTime()}`,
    });
  }
  return { publish, fixComing, holdId: hold?.id ?? null };
}

/**
 * The case went back to work (or the schedule found it elsewhere than `disclosure-scheduled`): its
 * pending publication is cancelled; scheduling again starts a new generation.
 */
export async function cancelPublication(
  trx: DbTransaction,
  clock: Clock,
  c: Pick<casesRepo.CaseRow, 'id' | 'project_id'>,
  because: string,
  actor: Actor = PUBLICATION_ACTOR,
): Promise<void> {
  const pub = await repo.findPublication(trx, c.id);
  if (!pub || !PENDING_STATES.includes(pub.state as PublicationState)) return;
  const now = clock.now().toISOString();
  const moved = await repo.updatePublication(
    trx,
    c.id,
    { states: PENDING_STATES, generation: pub.generation },
    { state: 'cancelled', pending_job_key: null, next_attempt_at: null, updated_at: now },
  );
  if (!moved) return;
  if (pub.pending_job_key) await cancelJob(trx, pub.pending_job_key);
  await repo.endOpenHold(trx, c.id, { ended_at: now, ended_by: 'cancelled' });
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'publication.cancelled',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { at: pub.scheduled_for, because },
  });
}

/**
 * An attempt found the publication blocked (`reasons`, in words): the hold is recorded (a new one
 * alerts the Fix Lead and the team once), and another attempt is queued in RETRY_MINUTES. Nothing
 * happens when the publication moved on meanwhile (published, rescheduled, cancelled).
 */
export async function recordHold(
  trx: DbTransaction,
  clock: Clock,
  c: Pick<casesRepo.CaseRow, 'id' | 'project_id'>,
  generation: number,
  reasons: string[],
): Promise<{ holdId: string; first: boolean } | undefined> {
  const pub = await repo.findPublication(trx, c.id);
  if (!pub || pub.generation !== generation || !PENDING_STATES.includes(pub.state as PublicationState)) {
    return undefined;
  }
  const now = clock.now();
  const retryAt = new Date(now.getTime() + RETRY_MINUTES * 60_000);
  if (!(await queuePublishAttempt(trx, clock, pub, retryAt, { state: 'held' }))) return undefined;
  const reasonsJson = JSON.stringify(reasons.slice(0, 50).map((r) => r.slice(0, 1000)));
  const open = await repo.findOpenHold(trx, c.id);
  if (open) {
    await repo.recordHoldAttempt(trx, open.id, {
      reasons_json: reasonsJson,
      last_attempt_at: now.toISOString(),
    });
    return { holdId: open.id, first: false };
  }
  const holdId = newId();
  await repo.insertHold(trx, {
    id: holdId,
    case_id: c.id,
    generation,
    started_at: now.toISOString(),
    ended_at: null,
    ended_by: null,
    reasons_json: reasonsJson,
    attempts: 1,
    last_attempt_at: now.toISOString(),
    alerted_at: null,
  });
  await enqueueJob(trx, clock, {
    kind: HOLD_ALERT_JOB,
    payload: { holdId },
    uniqueKey: `${HOLD_ALERT_JOB}:${holdId}`,
    maxAttempts: MAIL_MAX_ATTEMPTS,
  });
  await appendAuditEvent(trx, clock, {
    actor: PUBLICATION_ACTOR,
    action: 'publication.held',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { holdId, at: pub.scheduled_for, blockers: reasons.length, first: true },
  });
  return { holdId, first: true };
}

/** Queues one outbound message of the case (unique per channel, recipient and ref); true when new. */
export async function queueDelivery(
  trx: DbTransaction,
  clock: Clock,
  c: Pick<casesRepo.CaseRow, 'id' | 'project_id'>,
  d: { channel: Channel; recipient: string; ref?: string; orgId?: string | null },
): Promise<boolean> {
  const id = newId();
  const now = clock.now().toISOString();
  const added = await repo.insertDelivery(trx, {
    id,
    case_id: c.id,
    project_id: c.project_id,
    channel: d.channel,
    recipient: d.recipient,
    ref: d.ref ?? '',
    org_id: d.orgId ?? null,
    state: 'queued',
    attempts: 0,
    last_error: null,
    sent_at: null,
    created_at: now,
    updated_at: now,
  });
  if (!added) return false;
  await enqueueJob(trx, clock, {
    kind: PUBLICATION_MAIL_JOB,
    payload: { deliveryId: id },
    uniqueKey: `${PUBLICATION_MAIL_JOB}:${id}`,
    maxAttempts: MAIL_MAX_ATTEMPTS,
  });
  return true;
}

/**
 * The effects of entering `published`, first among them (PROCESS.md §8), for the schedule's job and
 * the team's transition alike: the publication record turns published (a second publication of
 * the case is refused: 409), the draft advisory is published with its CVE id, and the announcement
 * (one message per policy address; its render is checked first, 422 naming what it lacks), one
 * delivery per active webhook and the distributors' follow-up (every active person of every
 * organisation the case was shared with) are queued, each message once.
 */
export async function recordPublication(
  trx: DbTransaction,
  clock: Clock,
  cipher: Pick<CaseCipher, 'decryptField'>,
  c: casesRepo.CaseRow,
  policy: Policy,
  actor: Actor,
): Promise<void> {
  const now = clock.now().toISOString();
  await markPublished(trx, c, actor, now);
  const found = await loadCaseAdvisory(trx, cipher, c.id);
  const publishable = found && (found.advisory.state === 'draft' || found.advisory.state === 'published');
  const addresses = publishable ? announcementAddresses(policy) : [];
  if (found && publishable)
    await publishAdvisory(trx, clock, c, found, { actor, now, check: addresses.length > 0 });
  let announcements = 0;
  for (const address of addresses) {
    if (await queueDelivery(trx, clock, c, { channel: 'announcement', recipient: address }))
      announcements += 1;
  }
  const webhooks = publishable ? await enqueueWebhookDeliveries(trx, clock, c, 'advisory.published') : 0;
  const followUps = publishable ? await queueFollowUps(trx, clock, c) : 0;
  const note = !publishable
    ? `Case ${c.human_id} has no advisory in draft or published: nothing was announced.`
    : addresses.length === 0
      ? 'The policy names no announcement address (disclosure.announcement.addresses): no announcement was mailed.'
      : null;
  await repo.updatePublication(
    trx,
    c.id,
    { states: ['published'] },
    { announcement_note: note, updated_at: now },
  );
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'publication.published',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: {
      advisoryId: found?.advisory.advisory_id ?? null,
      at: c.disclosure_at,
      announcements,
      webhooks,
      followUps,
    },
  });
}

/** The draft advisory goes public with its CVE id; `check`: its announcement must render first. */
async function publishAdvisory(
  trx: DbTransaction,
  clock: Clock,
  c: casesRepo.CaseRow,
  found: CaseAdvisory,
  how: { actor: Actor; now: string; check: boolean },
): Promise<void> {
  if (how.check) await checkAnnouncement(trx, c, found);
  if (found.advisory.state !== 'draft') return;
  await advisoryRepo.publishAdvisory(trx, found.advisory.id, how.now);
  await appendAuditEvent(trx, clock, {
    actor: how.actor,
    action: 'advisory.published',
    subject: { type: 'advisory', id: found.advisory.id },
    projectId: c.project_id,
    data: { advisoryId: found.advisory.advisory_id, caseId: c.id },
  });
}

/** The follow-up "releases are out" to every person of each organisation the case was shared with. */
async function queueFollowUps(trx: DbTransaction, clock: Clock, c: casesRepo.CaseRow): Promise<number> {
  const seen = new Set<string>();
  let queued = 0;
  for (const r of await repo.listFollowUpRecipients(trx, c.id)) {
    const email = r.email.toLowerCase();
    if (seen.has(email)) continue;
    seen.add(email);
    if (await queueDelivery(trx, clock, c, { channel: 'follow-up', recipient: email, orgId: r.org_id })) {
      queued += 1;
    }
  }
  return queued;
}

/**
 * The publication record turns published: the compare-and-set every path goes through first, so
 * that two attempts (two instances, a retry and the team) cannot both publish; the loser's
 * transaction fails with 409 and rolls back.
 */
async function markPublished(trx: DbTransaction, c: casesRepo.CaseRow, actor: Actor, now: string) {
  const pub = await repo.findPublication(trx, c.id);
  const published = {
    state: 'published',
    published_at: now,
    published_by: storedBy(actor),
    pending_job_key: null,
    next_attempt_at: null,
    updated_at: now,
  };
  if (pub) {
    const moved = await repo.updatePublication(
      trx,
      c.id,
      { states: ['scheduled', 'held', 'cancelled'] },
      published,
    );
    if (!moved) throw new ConflictError(`Case ${c.human_id} is published already.`);
    if (pub.pending_job_key) await cancelJob(trx, pub.pending_job_key);
    await repo.endOpenHold(trx, c.id, { ended_at: now, ended_by: 'published' });
    return;
  }
  await repo.insertPublication(trx, {
    case_id: c.id,
    project_id: c.project_id,
    scheduled_for: c.disclosure_at,
    generation: 1,
    attempt_seq: 0,
    fix_coming_for: null,
    fix_coming_note: null,
    announcement_note: null,
    created_at: now,
    ...published,
  });
}

/** The announcement must render (the project's template, the published advisory): 422 naming what it lacks. */
async function checkAnnouncement(
  trx: DbTransaction,
  c: casesRepo.CaseRow,
  found: CaseAdvisory,
): Promise<void> {
  try {
    await renderPublication(trx, 'announcement', found);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      `Case ${c.human_id} cannot be published yet: its announcement cannot be written. ${err.message}`,
      err.issues,
    );
  }
}
