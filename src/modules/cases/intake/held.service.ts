/**
 * Held intake (issue 11, item 6): the proof-of-work challenge a report form solves, and the three
 * ways a held report is released: the reporter's click on the link of their receipt mail, the
 * reporter's proof of work on their private link, or the team's release. A team that rejects a
 * held report does it through the triage transitions (triage.service closes the hold).
 */
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import { hashSecret } from '../../../lib/ids.js';
import { readRateLimitHits } from '../../../lib/rate-limit.js';
import { projectContextById, projectContextBySlug, type ProjectContext } from '../case-context.js';
import { caseCrypto, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';
import {
  checkProof,
  confirmedCaseId,
  DEFAULT_PROOF_BITS,
  issueChallenge,
  projectReportBucket,
  requiredProofBits,
} from './held.js';
import * as heldRepo from './held.repo.js';
import { releaseHold, type ReleasedBy } from './held.steps.js';
import { REPORTER } from './report-filing.js';

export interface HeldIntakeDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  /** The instance secret `intake.held` (held.ts). */
  heldSecret: () => Promise<Buffer>;
  /** Leading zero bits a proof of work needs (DEFAULT_PROOF_BITS unless given). */
  proofOfWorkBits?: number | undefined;
}

export type HeldIntakeService = ReturnType<typeof createHeldIntakeService>;

export function createHeldIntakeService(deps: HeldIntakeDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  /**
   * The proof bits required now, when the project's quota window holds its reports so far plus
   * `coming` more (held.ts `requiredProofBits`); the count is read, not incremented.
   */
  async function proofBitsNow(project: ProjectContext, coming: 0 | 1): Promise<number> {
    const perProject = project.policy.intake.rateLimits.perProject;
    const hits = await readRateLimitHits(k, clock, {
      bucket: projectReportBucket(project.id),
      windowSeconds: perProject.windowSeconds,
    });
    return requiredProofBits(deps.proofOfWorkBits ?? DEFAULT_PROOF_BITS, hits + coming, perProject.count);
  }

  async function release(caseId: string, projectId: string, by: ReleasedBy, principal?: Principal) {
    const project = await projectContextById(k, projectId);
    return k.transaction().execute((trx) =>
      releaseHold(trx, { clock, crypto }, caseId, project, {
        by,
        actor: principal ? actorOf(principal) : REPORTER,
      }),
    );
  }

  return {
    /**
     * A challenge for a report to the project (anyone may ask: it costs one read and one HMAC, stores
     * nothing), at the difficulty a report sent now needs: its own report counts too, so a challenge
     * fetched when the quota is just full already asks the bits of the first report over it.
     */
    async challenge(slug: string) {
      const project = await projectContextBySlug(k, slug);
      return issueChallenge(await deps.heldSecret(), project.id, clock.now(), await proofBitsNow(project, 1));
    },

    /**
     * The link of a held report's receipt mail: proves the reporter reads that mailbox. Releasing
     * a case that is not held any more answers `released: false` (a second click changes nothing).
     */
    async confirmByMail(token: string): Promise<{ humanId: string; projectName: string; released: boolean }> {
      const caseId = confirmedCaseId(await deps.heldSecret(), token);
      const c = caseId ? await repo.findCaseById(k, caseId) : undefined;
      if (!c) throw new NotFoundError('This confirmation link');
      const project = await projectContextById(k, c.project_id);
      const released = await release(c.id, c.project_id, 'reporter-mail');
      return { humanId: c.human_id, projectName: project.name, released };
    },

    /** The reporter confirms a held report from their private link with a solved challenge. */
    async confirmByProof(
      reporterToken: string,
      proof: { challenge: string; nonce: string },
    ): Promise<{ released: boolean }> {
      const c = await repo.findCaseByReporterToken(k, hashSecret(reporterToken));
      if (!c) throw new NotFoundError('This report link');
      if (!c.held_at) return { released: false };
      const project = await projectContextById(k, c.project_id);
      // The difficulty required now (this report was counted when it was filed).
      const check = checkProof(
        await deps.heldSecret(),
        c.project_id,
        clock.now(),
        proof,
        await proofBitsNow(project, 0),
      );
      const refuse = (reason: string) =>
        new ValidationError('The proof of work is not valid: ask for a new challenge and solve it again.', [
          { path: 'body.proofOfWork', message: reason },
        ]);
      if (!check.ok) throw refuse(check.reason);
      return k.transaction().execute(async (trx) => {
        if (!(await heldRepo.spendProof(trx, check.challengeHash, check.expiresAt))) throw refuse('spent');
        const released = await releaseHold(trx, { clock, crypto }, c.id, project, {
          by: 'reporter-proof',
          actor: REPORTER,
        });
        return { released };
      });
    },

    /** The team releases a held case: it joins the inbox, the clock starts, the team is told. */
    async release(principal: Principal, ref: string): Promise<{ humanId: string }> {
      const c = await loadCaseFor(k, principal, ref, 'case.triage');
      if (!c.held_at) throw new ConflictError(`${c.human_id} is not held.`);
      await release(c.id, c.project_id, 'team', principal);
      return { humanId: c.human_id };
    },
  };
}
