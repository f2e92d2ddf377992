/**
 * The jobs of publication (README.md in this folder): the attempt at the agreed instant, which
 * publishes through the case engine as Vigil itself or records a hold and tries again; and the
 * "a fix is coming" notice, queued per announcement address ahead of the instant. Both check the
 * publication's generation and state first, so a job of an old schedule, or one run twice after a
 * lost lease, does nothing.
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler, type JobContext } from '../../../jobs/job.runner.js';
import { AppError, ConflictError, ValidationError } from '../../../lib/errors.js';
import { findAdvisoryByCase } from '../../advisory/advisory.repo.js';
import { enqueueCaseMail } from '../../cases/case-notify.js';
import { projectContextById } from '../../cases/case-context.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import { applyTransition } from '../../cases/case-workflow.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { createCaseLifecycle } from '../../fix/case-lifecycle.js';
import { renderPublication } from './publication-render.js';
import * as repo from './publication.repo.js';
import {
  FIX_COMING_JOB,
  PENDING_STATES,
  PUBLICATION_ACTOR,
  PUBLISH_JOB,
  announcementAddresses,
  cancelPublication,
  fixComingRef,
  queueDelivery,
  queuePublishAttempt,
  recordHold,
  type PublicationState,
} from './publication.steps.js';
import { loadCaseAdvisory } from './published-advisory.js';

export interface PublicationJobDeps {
  db: Db;
  cipher: CaseCipher;
  /** Where the cases' fix repositories live (publication freezes the case's). */
  repositoriesDir?: string | undefined;
}

const jobPayload = z.object({ caseId: z.string().max(64), generation: z.int().min(1) });

/** The sentences an attempt's refusal gives: the engine's blockers, or what the announcement lacks. */
function holdReasons(err: AppError): string[] {
  if (err.issues.length > 0 && err.code === 'transition_blocked') return err.issues.map((i) => i.message);
  if (err instanceof ValidationError && err.issues.length > 0) {
    return [
      `${err.message.split('. ')[0] ?? err.message}.`,
      ...err.issues.map((i) => `${i.path} ${i.message}`),
    ];
  }
  return [err.message];
}

const isPending = (pub: repo.PublicationRow | undefined, generation: number): pub is repo.PublicationRow =>
  pub !== undefined &&
  pub.generation === generation &&
  PENDING_STATES.includes(pub.state as PublicationState);

/** The handlers of `publication.publish` and `publication.fix-coming` (no mail: registered on every instance). */
export function publicationJobHandlers(deps: PublicationJobDeps) {
  const k = deps.db.kysely;
  const crypto = caseCrypto(deps.cipher);

  /** One attempt at the publication of `caseId`'s generation `generation`. */
  async function attempt(caseId: string, generation: number, ctx: JobContext): Promise<void> {
    const clock = ctx.clock;
    const pub = await repo.findPublication(k, caseId);
    if (!isPending(pub, generation)) return;
    const c = await casesRepo.findCaseById(k, caseId);
    if (!c) return;
    const at = pub.scheduled_for ? new Date(pub.scheduled_for) : undefined;
    if (at && clock.now().getTime() < at.getTime()) {
      // Never before the agreed instant (this instance's clock is behind the one that queued it).
      await k.transaction().execute((trx) => queuePublishAttempt(trx, clock, pub, at));
      return;
    }
    if (c.state !== 'disclosure-scheduled') {
      await k
        .transaction()
        .execute((trx) => cancelPublication(trx, clock, c, `case-${c.state}`, PUBLICATION_ACTOR));
      return;
    }
    const project = await projectContextById(k, c.project_id);
    const lifecycle = createCaseLifecycle({
      clock,
      cipher: deps.cipher,
      repositoriesDir: deps.repositoriesDir,
    });
    try {
      await k.transaction().execute(async (trx) => {
        // The case's lock first, as every transition and reschedule takes it: from here on, nobody
        // moves the case or its publication until this attempt commits or rolls back.
        await casesRepo.lockCase(trx, caseId);
        if (!isPending(await repo.findPublication(trx, caseId), generation)) return;
        const fresh = await casesRepo.findCaseById(trx, caseId);
        if (!fresh || fresh.state !== 'disclosure-scheduled') return;
        const advisory = await findAdvisoryByCase(trx, caseId);
        // The schedule never publishes a case whose advisory cannot go public (the team still may).
        if (!advisory) throw new ConflictError(`Case ${c.human_id} has no advisory to publish: draft it.`);
        if (advisory.state !== 'draft' && advisory.state !== 'published') {
          throw new ConflictError(
            `Advisory ${advisory.advisory_id} is ${advisory.state}: it cannot be published.`,
          );
        }
        const moved = await applyTransition(
          trx,
          { clock, crypto, lifecycle },
          fresh,
          project.policy,
          { kind: 'system', audit: PUBLICATION_ACTOR, userId: null },
          { to: 'published' },
        );
        await enqueueCaseMail(trx, clock, c.id, 'transition.reporter', `${moved.to}:${moved.row.updated_at}`);
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      await k.transaction().execute((trx) => recordHold(trx, clock, c, generation, holdReasons(err)));
    }
  }

  /** Records why the notice could not be queued (shown on the case's publication panel). */
  async function noteFixComing(pub: repo.PublicationRow, note: string, clock: JobContext['clock']) {
    await k
      .transaction()
      .execute((trx) =>
        repo.updatePublication(
          trx,
          pub.case_id,
          { states: PENDING_STATES, generation: pub.generation },
          { fix_coming_note: note.slice(0, 2000), updated_at: clock.now().toISOString() },
        ),
      );
  }

  /** Queues the "a fix is coming" notice of generation `generation` to each announcement address. */
  async function fixComing(caseId: string, generation: number, ctx: JobContext): Promise<void> {
    const clock = ctx.clock;
    const pub = await repo.findPublication(k, caseId);
    if (!isPending(pub, generation) || !pub.scheduled_for || pub.fix_coming_for === pub.scheduled_for) return;
    const at = pub.scheduled_for;
    const c = await casesRepo.findCaseById(k, caseId);
    if (!c || c.state !== 'disclosure-scheduled' || clock.now().getTime() >= Date.parse(at)) return;
    const { policy } = await projectContextById(k, c.project_id);
    if (!policy.fix.usersToldOfFix) return;
    if (c.users_told_at && !pub.fix_coming_for) {
      return noteFixComing(
        pub,
        `The team recorded that users were told at ${c.users_told_at}: Vigil sent no notice.`,
        clock,
      );
    }
    const addresses = announcementAddresses(policy);
    if (addresses.length === 0) {
      return noteFixComing(
        pub,
        'The policy names no announcement address (disclosure.announcement.addresses): no notice was sent.',
        clock,
      );
    }
    const found = await loadCaseAdvisory(k, deps.cipher, caseId);
    if (!found)
      return noteFixComing(pub, `Case ${c.human_id} has no advisory: the notice cannot be written.`, clock);
    try {
      await renderPublication(k, 'fix-coming', found, at);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const missing = err.issues.map((i) => `${i.path} ${i.message}`).join('; ');
      return noteFixComing(pub, `The notice cannot be written yet: ${missing || err.message}`, clock);
    }
    await k.transaction().execute(async (trx) => {
      const claimed = await repo.updatePublication(
        trx,
        caseId,
        { states: PENDING_STATES, generation },
        { fix_coming_for: at, fix_coming_note: null, updated_at: clock.now().toISOString() },
      );
      if (!claimed) return;
      let queued = 0;
      for (const address of addresses) {
        const ref = fixComingRef(at, generation);
        if (await queueDelivery(trx, clock, c, { channel: 'fix-coming', recipient: address, ref }))
          queued += 1;
      }
      await appendAuditEvent(trx, clock, {
        actor: PUBLICATION_ACTOR,
        action: 'publication.fix_coming_queued',
        subject: { type: 'case', id: caseId },
        projectId: c.project_id,
        data: { at, addresses: queued },
      });
    });
  }

  return {
    [PUBLISH_JOB]: defineJobHandler(jobPayload, ({ caseId, generation }, ctx) =>
      attempt(caseId, generation, ctx),
    ),
    [FIX_COMING_JOB]: defineJobHandler(jobPayload, ({ caseId, generation }, ctx) =>
      fixComing(caseId, generation, ctx),
    ),
  };
}
