/**
 * Leaks from a distributors list (PROCESS.md §7: "you must urgently inform the Security Team of
 * exactly what information was leaked and to whom"): a report form for the list's active people and
 * the team (what leaked, to whom, when, optionally the case; encrypted), the incidents the team
 * records against an organisation (or confirms from a report), and the count the policy's rule
 * ("repeated leaks mean permanent removal") is measured by. Removal itself is the list service's,
 * with an explicit confirmation.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor, loadProjectFor, projectLabel } from '../../../authz/access.js';
import { can, type Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { BadFieldError, ConflictError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { projectContextById } from '../../cases/case-context.js';
import { findCaseByRef } from '../../cases/cases.repo.js';
import * as repo from './distributors.repo.js';
import type { IncidentInput, LeakReportInput } from './distributors.schemas.js';
import { enqueueDistributorsMail } from './distributors.steps.js';
import { distributorsEmbargo } from './embargo-text.js';
import type { LeakReportState } from './list-view.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../../lib/list-page.js';

export interface DistributorLeaksDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
}

type Words = { what: string; toWhom: string; when: string };
type WordsTable = 'distributor_leak_reports' | 'distributor_incidents';

export type DistributorLeaksService = ReturnType<typeof createDistributorLeaksService>;

/** Builds the leaks service. */
export function createDistributorLeaksService(deps: DistributorLeaksDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const cursors = lazyCursorCodec(deps);

  function seal(table: WordsTable, id: string, w: Words) {
    return {
      what_enc: cipher.encryptField(w.what, fieldAad(table, 'what_enc', id)),
      to_whom_enc: cipher.encryptField(w.toWhom, fieldAad(table, 'to_whom_enc', id)),
      when_enc: cipher.encryptField(w.when, fieldAad(table, 'when_enc', id)),
    };
  }

  function open(
    table: WordsTable,
    row: { id: string; what_enc: string; to_whom_enc: string; when_enc: string },
  ): Words {
    return {
      what: cipher.decryptField(row.what_enc, fieldAad(table, 'what_enc', row.id)),
      toWhom: cipher.decryptField(row.to_whom_enc, fieldAad(table, 'to_whom_enc', row.id)),
      when: cipher.decryptField(row.when_enc, fieldAad(table, 'when_enc', row.id)),
    };
  }

  return {
    /**
     * Reports a leak. Admits the project's security team and the active people of its list (of an
     * organisation not removed); anyone else gets 404, as for a project that does not exist. A case
     * named that is not one of the project's is kept as written, and nothing says so.
     */
    async reportLeak(principal: Principal, slug: string, input: LeakReportInput) {
      const found = await loadProjectFor(k, principal, slug, 'distributors.leak.report');
      const project = await projectContextById(k, found.id);
      const isTeam = can(principal, 'distributors.read', { projectId: project.id });
      const people =
        principal.kind === 'user'
          ? await repo.listActivePeopleOfUserInProject(k, project.id, principal.userId)
          : [];
      const person = people[0];
      if (principal.kind !== 'user' || !distributorsEmbargo(project) || (!isTeam && !person)) {
        throw new NotFoundError(projectLabel(slug));
      }
      const named = input.caseRef ? await findCaseByRef(k, input.caseRef) : undefined;
      const caseId = named?.project_id === project.id ? named.id : null;
      const id = newId();
      const now = clock.now().toISOString();
      const reporterOrgId = isTeam ? null : (person?.org_id ?? null);
      await k.transaction().execute(async (trx) => {
        await repo.insertLeakReport(trx, {
          id,
          project_id: project.id,
          reported_by_user_id: principal.userId,
          reporter_org_id: reporterOrgId,
          case_id: caseId,
          case_ref: input.caseRef ?? null,
          ...seal('distributor_leak_reports', id, input),
          state: 'open',
          incident_id: null,
          created_at: now,
          updated_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.leak_reported',
          subject: { type: 'distributor_leak_report', id },
          projectId: project.id,
          data: { leakReportId: id, by: isTeam ? 'team' : 'member', caseId },
        });
        await enqueueDistributorsMail(trx, clock, {
          mail: 'team',
          projectId: project.id,
          notice: 'leak-reported',
          ref: id,
        });
      });
      return { leakReportId: id, createdAt: now };
    },

    /** The project's leak reports and incidents, newest first, decrypted (the team). */
    async listLeaks(
      principal: Principal,
      slug: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const project = await loadProjectFor(k, principal, slug, 'distributors.read');
      const codec = await cursors();
      const filter = { projectId: project.id };
      const before = cursorKey(codec.decode('distributors.leaks', filter, page.cursor), ['string', 'string']);
      const [fetched, incidents, orgs] = await Promise.all([
        repo.listLeakReports(k, project.id, before, page.limit + 1),
        repo.listIncidents(k, project.id),
        repo.listOrgs(k, project.id),
      ]);
      const { rows: reports, nextCursor } = keysetPage(fetched, page.limit, (last) =>
        codec.encode('distributors.leaks', filter, [last.created_at, last.id]),
      );
      const orgName = new Map(orgs.map((o) => [o.id, o.name]));
      return {
        nextCursor,
        reports: reports.map((r) => ({
          id: r.id,
          reportedBy: { userId: r.reported_by_user_id, name: r.reporter_name, email: r.reporter_email },
          reporterOrg: r.reporter_org_id
            ? { id: r.reporter_org_id, name: orgName.get(r.reporter_org_id) ?? '' }
            : null,
          caseRef: r.case_ref,
          caseHumanId: r.case_human_id,
          ...open('distributor_leak_reports', r),
          state: r.state as LeakReportState,
          incidentId: r.incident_id,
          createdAt: r.created_at,
        })),
        incidents: incidents.map((i) => ({
          id: i.id,
          org: { id: i.org_id, name: orgName.get(i.org_id) ?? '' },
          leakReportId: i.leak_report_id,
          caseHumanId: i.case_human_id,
          ...open('distributor_incidents', i),
          recordedAt: i.recorded_at,
        })),
      };
    },

    /**
     * Records an incident against an organisation: from an open leak report (confirming it; its
     * words become the incident's) or with the team's own words. Answers the organisation's count
     * and whether the policy's removal rule is now met (then the team is offered the removal).
     */
    async recordIncident(principal: Principal, slug: string, input: IncidentInput) {
      const found = await loadProjectFor(k, principal, slug, 'distributors.manage');
      const project = await projectContextById(k, found.id);
      const org = await repo.findOrg(k, project.id, input.orgId);
      if (!org) throw new NotFoundError(`Organisation ${input.orgId}`);
      const report = input.leakReportId
        ? await repo.findLeakReport(k, project.id, input.leakReportId)
        : undefined;
      if (input.leakReportId && !report) throw new NotFoundError(`Leak report ${input.leakReportId}`);
      let words: Words;
      let caseId: string | null = null;
      if (report) {
        if (input.what || input.toWhom || input.when) {
          throw new BadFieldError('body.what', 'A confirmed report keeps its own words: give none here.');
        }
        if (report.state !== 'open')
          throw new ConflictError(`Leak report ${report.id} was ${report.state} already.`);
        words = open('distributor_leak_reports', report);
        caseId = report.case_id;
      } else {
        const missing = (['what', 'toWhom', 'when'] as const).find((f) => !input[f]);
        if (missing) throw new BadFieldError(`body.${missing}`, 'Required without a leak report.');
        words = { what: input.what ?? '', toWhom: input.toWhom ?? '', when: input.when ?? '' };
      }
      if (input.caseRef) {
        const c = await loadCaseFor(k, principal, input.caseRef, 'case.read');
        if (c.project_id !== project.id) throw new NotFoundError(`Case ${input.caseRef}`);
        caseId = c.id;
      }
      const threshold = project.policy.disclosure.distributorsList.leaksBeforeRemoval;
      const incidentId = newId();
      const now = clock.now().toISOString();
      return k.transaction().execute(async (trx) => {
        await repo.insertIncident(trx, {
          id: incidentId,
          project_id: project.id,
          org_id: org.id,
          leak_report_id: report?.id ?? null,
          case_id: caseId,
          ...seal('distributor_incidents', incidentId, words),
          recorded_by_user_id: principal.kind === 'user' ? principal.userId : null,
          recorded_at: now,
        });
        if (report) {
          const closed = await repo.closeLeakReport(trx, report.id, {
            state: 'confirmed',
            incident_id: incidentId,
            updated_at: now,
          });
          if (!closed) throw new ConflictError(`Leak report ${report.id} was closed meanwhile.`);
        }
        const incidents = await repo.countIncidents(trx, org.id);
        const removalProposed = org.state !== 'removed' && incidents >= threshold;
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.incident_recorded',
          subject: { type: 'distributor_org', id: org.id },
          projectId: project.id,
          data: { incidentId, orgId: org.id, leakReportId: report?.id ?? null, incidents, removalProposed },
        });
        return { incidentId, orgId: org.id, incidents, leaksBeforeRemoval: threshold, removalProposed };
      });
    },

    /** Closes an open leak report without an incident (not a leak, or not from the list). */
    async dismissLeak(principal: Principal, slug: string, leakId: string) {
      const project = await loadProjectFor(k, principal, slug, 'distributors.manage');
      const report = await repo.findLeakReport(k, project.id, leakId);
      if (!report) throw new NotFoundError(`Leak report ${leakId}`);
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        if (
          !(await repo.closeLeakReport(trx, report.id, {
            state: 'dismissed',
            incident_id: null,
            updated_at: now,
          }))
        ) {
          throw new ConflictError(`Leak report ${report.id} was ${report.state} already.`);
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.leak_dismissed',
          subject: { type: 'distributor_leak_report', id: report.id },
          projectId: project.id,
          data: { leakReportId: report.id },
        });
      });
      return { leakReportId: report.id, state: 'dismissed' as const };
    },
  };
}
