/**
 * Every confidential column that is stored encrypted gets a distinct canary, written through the
 * product's own API (a planter per column, below), and the database files (the SQLite file and
 * its WAL, or a pg_dump) must hold none of them in clear. The list of columns comes from
 * src/db/column-classes.ts, so a new confidential column without a planter fails here, by name,
 * unless it is listed in PLANTERS_PENDING (which the test also keeps honest: an entry that has a
 * planter, or is no longer a confidential column, fails too).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { classOf, COLUMN_CLASSES, type ColumnRule } from '../../src/db/column-classes.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb, type TestDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

/** Encrypted confidential columns: `table.column`. */
function encryptedConfidentialColumns(): string[] {
  return Object.entries(COLUMN_CLASSES as Record<string, Record<string, ColumnRule>>).flatMap(([t, cols]) =>
    Object.entries(cols)
      .filter(([c, rule]) => c.endsWith('_enc') && classOf(rule) === 'confidential')
      .map(([c]) => `${t}.${c}`),
  );
}

/**
 * Confidential columns whose planter is still to write (each is encrypted and covered by its own
 * module's at-rest test, e.g. test/api/fix-at-rest.api.test.ts, early-disclosure, distributors,
 * portal, webhooks): move an entry into PLANTERS when its planter is written.
 */
export const PLANTERS_PENDING: readonly string[] = [
  'inbound_mail.raw_enc',
  'case_releases.override_reason_enc',
  'ci_runs.log_enc',
  'retrospectives.sections_enc',
  'retrospective_feedback.body_enc',
  'distributor_orgs.state_note_enc',
  'distributor_applications.answers_enc',
  'distributor_applications.vouch_note_enc',
  'distributor_applications.decision_reason_enc',
  'distributor_leak_reports.what_enc',
  'distributor_leak_reports.to_whom_enc',
  'distributor_leak_reports.when_enc',
  'distributor_incidents.what_enc',
  'distributor_incidents.to_whom_enc',
  'distributor_incidents.when_enc',
  'distributor_reviews.note_enc',
  'disclosure_responses.reason_enc',
  'disclosure_decisions.note_enc',
  'portal_feedback.body_enc',
  'early_disclosure_sends.layout_enc',
  'early_disclosure_copies.text_enc',
  'early_disclosure_copies.armored_enc',
];

interface PlantContext {
  t: TestApp;
  team: Client;
  /** The team member's user id (`team` acts as them). */
  teamUserId: string;
  /** The canary for `table.column`: distinct per column. */
  canary(column: string): string;
}

/**
 * One planter writes canaries into one or more columns through the API; `columns` names them.
 * Each asserts the write succeeded, so a canary that was refused cannot pass as "not found".
 */
interface Planter {
  columns: readonly string[];
  plant(ctx: PlantContext): Promise<void>;
}

const ok = async <R extends { statusCode: number; body: string }>(res: Promise<R>): Promise<R> => {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r;
};

export const PLANTERS: readonly Planter[] = [
  {
    columns: [
      'cases.title_enc',
      'cases.report_enc',
      'cases.reporter_email_enc',
      'cases.reporter_credit_enc',
      'case_attachments.filename_enc',
      'case_attachments.data_enc',
    ],
    async plant({ t, canary }) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/projects/contour/reports',
        payload: {
          subject: canary('cases.title_enc'),
          reporter: {
            name: canary('cases.reporter_credit_enc'),
            email: `${canary('cases.reporter_email_enc').toLowerCase()}@example.org`,
          },
          reproduction: canary('cases.report_enc'),
          attachments: [
            {
              filename: `${canary('case_attachments.filename_enc')}.txt`,
              contentType: 'text/plain',
              contentBase64: Buffer.from(canary('case_attachments.data_enc')).toString('base64'),
            },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    },
  },
  {
    columns: ['case_messages.body_enc'],
    async plant({ t, team, canary }) {
      const id = await acceptedCase(t, 'contour', team, 'A message canary');
      await ok(
        team.request('POST', `/api/v1/cases/${id}/messages`, {
          body: canary('case_messages.body_enc'),
          internal: true,
        }),
      );
    },
  },
  {
    columns: ['projects.team_notes_enc'],
    async plant({ team, canary }) {
      await ok(
        team.request('PUT', '/api/v1/projects/contour/team-notes', {
          notes: canary('projects.team_notes_enc'),
        }),
      );
    },
  },
  {
    columns: [
      'advisory_revisions.document_enc',
      'advisories.cve_id_enc',
      'advisories.cve_request_enc',
      'advisories.state_reason_enc',
    ],
    async plant({ t, team, canary }) {
      const id = await acceptedCase(t, 'contour', team, 'An advisory canary');
      const draft = await ok(team.request('POST', `/api/v1/cases/${id}/advisory`));
      const current = (await ok(team.request('GET', `/api/v1/cases/${id}/advisory`))).json();
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/advisory`, {
          baseRevision: draft.json().revision,
          document: { ...current.document, summary: canary('advisory_revisions.document_enc') },
        }),
      );
      // A CVE id is digits: its canary is the number (checked in clear below in any form).
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/advisory/cve`, { cveId: canary('advisories.cve_id_enc') }),
      );
      await ok(
        team.request('POST', `/api/v1/cases/${id}/advisory/cve-request`, {
          cna: canary('advisories.cve_request_enc'),
        }),
      );
      await ok(
        team.request('POST', `/api/v1/cases/${id}/advisory/withdraw`, {
          reason: canary('advisories.state_reason_enc'),
        }),
      );
    },
  },
  {
    columns: ['cases.watchwords_enc', 'cases.upstream_enc'],
    async plant({ t, team, canary }) {
      const id = await acceptedCase(t, 'contour', team, 'A fix-phase canary');
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/watchwords`, { words: [canary('cases.watchwords_enc')] }),
      );
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/upstream`, {
          name: canary('cases.upstream_enc'),
          url: 'https://example.org/upstream',
          disclosureAt: '2026-12-24T12:00:00Z',
        }),
      );
    },
  },
  {
    columns: ['cases.fix_lead_reason_enc', 'case_members.ended_note_enc', 'disclosure_proposals.note_enc'],
    async plant({ t, team, teamUserId, canary }) {
      const id = await acceptedCase(t, 'contour', team, 'A Fix Team canary');
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/fix-lead`, {
          userId: teamUserId,
          reason: canary('cases.fix_lead_reason_enc'),
        }),
      );
      const invited = await ok(
        team.request('POST', `/api/v1/cases/${id}/members`, {
          email: `collaborator-${randomBytes(4).toString('hex')}@example.org`,
          role: 'collaborator',
        }),
      );
      await ok(
        team.request('DELETE', `/api/v1/cases/${id}/members/${invited.json().memberId}`, {
          reason: canary('case_members.ended_note_enc'),
        }),
      );
      await ok(
        team.request('POST', `/api/v1/cases/${id}/disclosure-date`, {
          action: 'propose',
          at: '2026-12-15T15:00:00.000Z',
          timeZone: 'Europe/Paris',
          note: canary('disclosure_proposals.note_enc'),
        }),
      );
    },
  },
  {
    columns: ['cases.slowdown_reason_enc'],
    async plant({ t, team, canary }) {
      const id = await acceptedCase(t, 'emissary', team, 'A slow-down canary');
      const created = await ok(team.request('POST', `/api/v1/cases/${id}/advisory`));
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/advisory`, {
          baseRevision: created.json().revision,
          document: {
            title: 'A flaw',
            severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }] },
          },
        }),
      );
      await ok(
        team.request('PUT', `/api/v1/cases/${id}/slowdown`, { reason: canary('cases.slowdown_reason_enc') }),
      );
    },
  },
];

async function everythingStored(t: TestDb): Promise<string> {
  const parts: string[] = [];
  if (t.db.dialect === 'sqlite') {
    const wal = join(t.location.dataDir ?? '', 'vigil.sqlite-wal');
    if (existsSync(wal)) parts.push(readFileSync(wal).toString('latin1'));
  }
  parts.push(await dumpDatabase(t));
  return parts.join('\n');
}

it('has a planter for every encrypted confidential column, or names it pending', () => {
  const planted = new Set(PLANTERS.flatMap((p) => p.columns));
  const confidential = encryptedConfidentialColumns();
  const missing = confidential.filter((c) => !planted.has(c) && !PLANTERS_PENDING.includes(c));
  expect(missing, 'write a planter for these columns').toEqual([]);
  expect(
    PLANTERS_PENDING.filter((c) => planted.has(c)),
    'planted: remove from PLANTERS_PENDING',
  ).toEqual([]);
  expect(
    PLANTERS_PENDING.filter((c) => !confidential.includes(c)),
    'not an encrypted confidential column',
  ).toEqual([]);
  expect(
    [...planted].filter((c) => !confidential.includes(c)),
    'planted but not confidential',
  ).toEqual([]);
});

describeEachDb('every confidential column at rest', (get) => {
  let t: TestApp;
  let team: Client;
  let teamUserId: string;
  const marker = randomBytes(4).toString('hex').toUpperCase();
  const canaries = new Map<string, string>();
  let n = 0;
  const canary = (column: string) => {
    let c = canaries.get(column);
    if (!c) {
      n += 1;
      // CVE ids must look like one: the number is the canary.
      c =
        column === 'advisories.cve_id_enc'
          ? `CVE-2026-${String((parseInt(marker, 16) % 9_000_000) + 1_000_000)}`
          : `CANARY${n}X${marker}`;
      canaries.set(column, c);
    }
    return c;
  };

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      preset: 'contour',
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'emissary',
      name: 'Emissary',
      preset: 'emissary',
    });
    const m = await createUser(t);
    await t.services.projects.addMember(OPERATOR, 'contour', { email: m.email, role: 'security-team' });
    await t.services.projects.addMember(OPERATOR, 'emissary', { email: m.email, role: 'security-team' });
    team = await tokenClient(t, m.id);
    teamUserId = m.id;
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('finds no canary of any confidential column in the database files', async () => {
    for (const p of PLANTERS) await p.plant({ t, team, teamUserId, canary });
    expect([...canaries.keys()].sort()).toEqual([...new Set(PLANTERS.flatMap((p) => p.columns))].sort());
    const stored = (await everythingStored(get())).toUpperCase();
    // The search sees what is in clear: the project's slug.
    expect(stored).toContain('CONTOUR');
    const found = [...canaries].filter(([, c]) => stored.includes(c.toUpperCase()));
    expect(
      found.map(([column]) => column),
      'canaries in clear',
    ).toEqual([]);
  });
});
