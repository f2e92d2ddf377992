/**
 * Tracing a leaked copy of a case's early disclosure to its recipient (PROCESS.md §7: "incidents are
 * recorded against a member"): the team pastes what leaked, or the operator runs `vigil leak trace`.
 * The leaked text is read and forgotten: it is never stored, and the audit event records the
 * verdict, the method and the copy only.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import type { Layout } from './copy-variations.js';
import * as repo from './early-disclosure.repo.js';
import { scoreCopies, wordingVerdict, type Candidate, type Verdict } from './leak-trace.js';
import { markedCodesIn, referenceCodesIn } from './reference-code.js';

export interface LeakTraceDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'decryptField'>;
}

export type LeakTraceService = ReturnType<typeof createLeakTraceService>;

type Method = 'reference-code' | 'hidden-marks' | 'wording';

/** Candidates shown, and those shown with their slot-by-slot evidence. */
const SHOWN = 5;
const WITH_EVIDENCE = 3;

const percent = (p: number) => `${(p * 100).toFixed(p < 0.01 ? 3 : 1)}%`;
const chance = (p: number) =>
  p === 0 ? 'none' : p < 1e-6 ? `below 1 in a million` : `1 in ${Math.round(1 / p)}`;

/** Builds the leak trace service. */
export function createLeakTraceService(deps: LeakTraceDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;

  return {
    /** The copy `text` most likely came from, with the evidence; "inconclusive" when it is weak. */
    async traceLeak(principal: Principal, caseRef: string, text: string) {
      const c = await loadCaseFor(k, principal, caseRef, 'case.leak.trace');
      const sendRows = await repo.listSendLayouts(k, c.id);
      const copyRows = await repo.listCopyChoices(k, c.id);
      const log = new Map((await repo.listCopies(k, c.id)).map((r) => [r.id, r]));
      const sendAt = new Map(sendRows.map((s) => [s.id, s]));
      const sends = sendRows.map((s) => ({
        sendId: s.id,
        layout: JSON.parse(
          cipher.decryptField(s.layout_enc, fieldAad('early_disclosure_sends', 'layout_enc', s.id)),
        ) as Layout,
        copies: copyRows
          .filter((r) => r.send_id === s.id)
          .map((r) => ({ copyId: r.id, choices: JSON.parse(r.choices_json) as number[] })),
      }));
      const byCode = new Map(copyRows.map((r) => [r.reference_code, r.id]));
      const referenceCodes = referenceCodesIn(text).map((code) => ({
        code,
        copyId: byCode.get(code) ?? null,
      }));
      const hiddenMarks = markedCodesIn(text).map((m) => ({ ...m, copyId: byCode.get(m.code) ?? null }));
      const wording = scoreCopies(sends, text);
      const best = wording.candidates[0];
      const wordVerdict = wordingVerdict(best, copyRows.length);

      const ref = (copyId: string) => {
        const r = log.get(copyId);
        if (!r) return null;
        return {
          copyId,
          sendId: r.send_id,
          advisoryRevision: r.advisory_revision,
          personId: r.person_id,
          name: r.recipient_name,
          email: r.recipient_email,
          orgName: r.org_name,
          referenceCode: r.reference_code,
          sentAt: sendAt.get(r.send_id)?.created_at ?? r.created_at,
        };
      };
      const describe = (copyId: string) => {
        const r = ref(copyId);
        return r ? `${r.name} (${r.orgName}, ${r.referenceCode})` : copyId;
      };

      const named = [
        ...new Set([...referenceCodes, ...hiddenMarks].flatMap((x) => (x.copyId ? [x.copyId] : []))),
      ];
      let verdict: Verdict;
      let method: Method | null = null;
      let source: string | null = null;
      const notes: string[] = [];
      const wordingSays =
        best && wordVerdict !== 'inconclusive'
          ? `its wording matches ${describe(best.copyId)} on ${best.matched} of ${best.observed} places (a random copy would do as well with a chance of ${chance(best.pRandom)})`
          : null;
      if (named.length === 1 && named[0]) {
        const only = named[0];
        if (best && wordVerdict === 'identified' && best.copyId !== only) {
          verdict = 'identified';
          method = 'wording';
          source = best.copyId;
          notes.push(
            `The text carries the reference of ${describe(only)}'s copy, but ${wordingSays ?? 'its wording is another copy'}: the reference was likely copied in.`,
          );
        } else {
          verdict = 'identified';
          method = referenceCodes.some((r) => r.copyId === only) ? 'reference-code' : 'hidden-marks';
          source = only;
          if (best && best.copyId !== only && wordVerdict === 'likely') {
            notes.push(`Its wording leans towards ${describe(best.copyId)} instead: check both.`);
          }
        }
      } else if (named.length > 1) {
        const agreed = best && wordVerdict !== 'inconclusive' && named.includes(best.copyId);
        verdict = agreed ? wordVerdict : 'inconclusive';
        method = agreed ? 'wording' : null;
        source = agreed && best ? best.copyId : null;
        notes.push(`The text carries the references of several copies: ${named.map(describe).join('; ')}.`);
      } else {
        verdict = wordVerdict;
        method = wordVerdict === 'inconclusive' ? null : 'wording';
        source = wordVerdict === 'inconclusive' || !best ? null : best.copyId;
      }
      for (const r of [...referenceCodes, ...hiddenMarks]) {
        if (!r.copyId) notes.push(`${r.code} is the reference of no copy of case ${c.human_id}.`);
      }

      const summary = summaryOf(verdict, method, source ? describe(source) : null, wording, best, notes);
      await k.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'early_disclosure.leak_traced',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: {
            verdict,
            method,
            copyId: source,
            slotsObserved: best?.observed ?? 0,
            copiesCompared: copyRows.length,
          },
        });
      });
      return {
        caseHumanId: c.human_id,
        verdict,
        method,
        summary,
        source: source ? ref(source) : null,
        referenceCodes,
        hiddenMarks,
        tokens: wording.tokens,
        slotsObserved: wording.observable,
        copiesCompared: copyRows.length,
        candidates: wording.candidates.slice(0, SHOWN).flatMap((cand, i) => {
          const r = ref(cand.copyId);
          return r ? [{ ...r, ...candidateView(cand, i < WITH_EVIDENCE) }] : [];
        }),
      };
    },
  };
}

function candidateView(c: Candidate, withEvidence: boolean) {
  return {
    observed: c.observed,
    matched: c.matched,
    mismatched: c.mismatched,
    pRandom: c.pRandom,
    posterior: c.posterior,
    evidence: withEvidence ? c.evidence : [],
  };
}

function summaryOf(
  verdict: Verdict,
  method: Method | null,
  source: string | null,
  wording: { tokens: number; observable: number },
  best: Candidate | undefined,
  notes: string[],
): string {
  const how =
    method === 'reference-code'
      ? 'the reference code printed in it'
      : method === 'hidden-marks'
        ? 'the invisible marks it still carries'
        : best
          ? `its wording: ${best.matched} of ${best.observed} variable places agree, ${best.mismatched} differ; a random copy would agree as well with a chance of ${chance(best.pRandom)}, and this copy is the source with a probability of ${percent(best.posterior)}`
          : 'its wording';
  const head =
    verdict === 'identified'
      ? `The text comes from the copy of ${source ?? '?'}, by ${how}.`
      : verdict === 'likely'
        ? `The text most likely comes from the copy of ${source ?? '?'}, by ${how}; the evidence is not conclusive.`
        : wording.observable === 0
          ? `Inconclusive: the text shows none of the places where the copies differ (${wording.tokens} words read), and no reference.`
          : `Inconclusive: the text shows ${wording.observable} of the places where the copies differ, too few or too mixed to name one copy.`;
  return [head, ...notes].join(' ');
}
