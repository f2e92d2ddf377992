/**
 * Early disclosure (PROCESS.md §7): the distributors' notice, rendered from the advisory's current
 * revision with the project's template (never the CVE id), sent as one copy per person of the
 * project's list. Each copy has its own fingerprint (a reference code and its own choice of
 * equivalent spellings, drawn from a secret seed), is encrypted to the person's OpenPGP key when
 * they have one, and is never sent in clear to someone whose key fails. The preflight says, before
 * sending, who gets what; the delivery log says what became of every copy. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { ConflictError, ValidationError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { authorName } from '../../advisory/advisory-record.js';
import * as advisoryRepo from '../../advisory/advisory.repo.js';
import type { AdvisoryService } from '../../advisory/advisory.service.js';
import { findCurrentTemplate } from '../../advisory/render/advisory-render.repo.js';
import { embargoNoteOf } from '../../advisory/render/render-context.js';
import { DEFAULT_TEMPLATES, renderAdvisory } from '../../advisory/render/render-advisory.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { findCaseById, lockCase, type CaseRow } from '../../cases/cases.repo.js';
import { choicesFromSeed, findSlots } from './copy-variations.js';
import * as repo from './early-disclosure.repo.js';
import type { SendInput } from './early-disclosure.schemas.js';
import { enqueueCopyDelivery } from './early-disclosure.steps.js';
import { composeCopy, encryptedMail, refuseCveId, type CopyText } from './notice-copy.js';
import { newReferenceCode } from './reference-code.js';
import { pruneAmbiguous } from './slot-patterns.js';
import { earlyDisclosureView } from './delivery-log.js';
import { leftOutOf, preflight, refuseFailingKeys, type Assessed } from './preflight.js';

export interface EarlyDisclosureDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  advisories: Pick<AdvisoryService, 'getAdvisory'>;
}

export type EarlyDisclosureService = ReturnType<typeof createEarlyDisclosureService>;

/** Builds the early-disclosure service. */
export function createEarlyDisclosureService(deps: EarlyDisclosureDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;

  const view = async (c: CaseRow) => earlyDisclosureView(k, c, await preflight(k, c, clock.now()));

  return {
    /** The preflight (who would get what, key problems first) and the delivery log of every send. */
    async getEarlyDisclosure(principal: Principal, caseRef: string) {
      const c = await loadCaseFor(k, principal, caseRef, 'case.early-disclosure.read');
      return view(c);
    },

    /**
     * Sends the notice of the advisory's current revision to everyone on the list who accepted the
     * embargo text and does not hold this revision yet: one fingerprinted copy and one mail job each,
     * the case shared with their organisations, in one transaction. 409 naming why when it cannot.
     */
    async sendNotice(principal: Principal, caseRef: string, input: SendInput) {
      const c = await loadCaseFor(k, principal, caseRef, 'case.early-disclosure.send');
      const { project, advisory, people, blockers } = await preflight(k, c, clock.now());
      if (blockers.length > 0 || !advisory) throw new ConflictError(blockers.join(' '));
      if (input.advisoryRevision !== undefined && input.advisoryRevision !== advisory.current_revision) {
        throw new ConflictError(
          `Advisory ${advisory.advisory_id} is at revision ${advisory.current_revision} now, not ${input.advisoryRevision}: review it and send again.`,
        );
      }
      const known = new Set(people.map((p) => p.person.personId));
      const unknown = input.exclude.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new ValidationError('Only people on the list can be excluded.', [
          { path: 'exclude', message: `not on the list: ${unknown.slice(0, 10).join(', ')}` },
        ]);
      }
      const excluded = new Set(input.exclude);
      refuseFailingKeys(people, excluded);
      const releaseAt = input.releaseAt ?? c.disclosure_at;
      if (!releaseAt) {
        throw new ValidationError(
          'The notice names the planned release: give releaseAt, or agree the disclosure date first.',
          [{ path: 'releaseAt', message: 'is required while the case has no disclosure date' }],
        );
      }
      if (new Date(releaseAt).getTime() <= clock.now().getTime()) {
        throw new ValidationError('The planned release the notice names has passed.', [
          { path: 'releaseAt', message: `must be after now (${clock.now().toISOString()})` },
        ]);
      }
      const targets = people.filter(
        (p) =>
          (p.delivery === 'encrypted' || p.delivery === 'plain') &&
          !excluded.has(p.person.personId) &&
          !p.hasCurrentRevision,
      );
      if (targets.length === 0) throw new ConflictError('Nobody is left to send this revision to.');

      const adv = await deps.advisories.getAdvisory(principal, c.id);
      const source =
        (await findCurrentTemplate(k, project.id, 'distributors'))?.source ?? DEFAULT_TEMPLATES.distributors;
      const rendered = renderAdvisory(
        'distributors',
        source,
        adv,
        project,
        new Date(releaseAt).toISOString(),
      );
      const note = embargoNoteOf(project);
      const layout = pruneAmbiguous({
        subject: rendered.subject ?? '',
        body: rendered.body,
        slots: findSlots(rendered.body, [note]),
      });
      const now = clock.now();
      const nowIso = now.toISOString();
      const sendId = newId();
      const copies: {
        id: string;
        t: Assessed;
        seed: Buffer;
        choices: number[];
        code: string;
        text: CopyText;
        mail: { subject: string; text: string } | null;
      }[] = [];
      for (const t of targets) {
        const id = newId();
        const seed = randomBytes(32);
        const choices = choicesFromSeed(seed, layout.slots);
        const code = newReferenceCode();
        const text = composeCopy(layout, choices, code, { name: t.person.name, orgName: t.person.orgName }, [
          note,
        ]);
        refuseCveId(text, adv.cveId);
        const mail =
          t.key.key && t.key.fingerprint
            ? await encryptedMail(text, code, project.name, t.key.key, t.key.fingerprint, now)
            : null;
        copies.push({ id, t, seed, choices, code, text, mail });
      }
      const leftOut = leftOutOf(people, excluded);
      const enc = (column: 'seed_enc' | 'text_enc' | 'armored_enc', id: string, value: string) =>
        cipher.encryptField(value, fieldAad('early_disclosure_copies', column, id));

      const outcome = await k.transaction().execute(async (trx) => {
        // Two sends of one case run one after the other: the second sees the first's copies.
        const state = await lockCase(trx, c.id);
        const a = await advisoryRepo.findAdvisoryByCase(trx, c.id);
        if (
          !state ||
          !FIX_OPEN_STATES.includes(state as CaseState) ||
          !a ||
          a.state !== 'draft' ||
          a.current_revision !== adv.revision
        ) {
          throw new ConflictError(
            `Case ${c.human_id} or its advisory changed while the notice was prepared: review it and send again.`,
          );
        }
        const served = new Set(await repo.listServedPeople(trx, c.id, adv.revision));
        const toSend = copies.filter((x) => !served.has(x.t.person.personId));
        if (toSend.length === 0)
          throw new ConflictError(`Everyone was sent revision ${adv.revision} meanwhile.`);
        await repo.insertSend(trx, {
          id: sendId,
          case_id: c.id,
          project_id: c.project_id,
          advisory_id: a.id,
          advisory_revision: adv.revision,
          release_at: new Date(releaseAt).toISOString(),
          layout_enc: cipher.encryptField(
            JSON.stringify(layout),
            fieldAad('early_disclosure_sends', 'layout_enc', sendId),
          ),
          excluded_json: JSON.stringify(leftOut),
          sent_by_user_id: principal.kind === 'user' ? principal.userId : null,
          sent_by_name: await authorName(trx, principal),
          created_at: nowIso,
        });
        for (const x of toSend) {
          await repo.insertCopy(trx, {
            id: x.id,
            send_id: sendId,
            case_id: c.id,
            advisory_revision: adv.revision,
            person_id: x.t.person.personId,
            org_id: x.t.person.orgId,
            user_id: x.t.person.userId,
            recipient_name: x.t.person.name,
            recipient_email: x.t.person.email,
            org_name: x.t.person.orgName,
            reference_code: x.code,
            seed_enc: enc('seed_enc', x.id, x.seed.toString('base64')),
            choices_json: JSON.stringify(x.choices),
            text_enc: enc('text_enc', x.id, JSON.stringify(x.text)),
            armored_enc: x.mail
              ? enc('armored_enc', x.id, JSON.stringify({ subject: x.mail.subject, text: x.mail.text }))
              : null,
            encrypted: x.mail ? 1 : 0,
            key_fingerprint: x.mail ? x.t.key.fingerprint : null,
            state: 'queued',
            queued_at: nowIso,
            accepted_at: null,
            smtp_response: null,
            message_id: null,
            attempts: 0,
            last_error: null,
            failed_at: null,
            cancelled_reason: null,
            opened_at: null,
            acknowledged_at: null,
            created_at: nowIso,
          });
          await enqueueCopyDelivery(trx, clock, x.id);
        }
        const orgIds = [...new Set(toSend.map((x) => x.t.person.orgId))];
        const newlyShared: string[] = [];
        for (const orgId of orgIds) {
          const by = principal.kind === 'user' ? principal.userId : null;
          if (await repo.shareCase(trx, { caseId: c.id, orgId, at: nowIso, byUserId: by }))
            newlyShared.push(orgId);
        }
        const encrypted = toSend.filter((x) => x.mail).length;
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'early_disclosure.sent',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: {
            sendId,
            advisoryId: a.advisory_id,
            revision: adv.revision,
            copies: toSend.length,
            encrypted,
            orgIds,
            newlyShared,
            withheld: leftOut.filter((l) => l.reason === 'embargo-not-accepted').length,
            excluded: excluded.size,
          },
        });
        return { copies: toSend.length, encrypted };
      });
      const after = await findCaseById(k, c.id);
      return {
        ...(await view(after ?? c)),
        sent: {
          sendId,
          advisoryRevision: adv.revision,
          copies: outcome.copies,
          encrypted: outcome.encrypted,
          leftOut,
        },
      };
    },
  };
}
