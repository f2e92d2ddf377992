/**
 * The case reads (issue 12, item 2), each on the seeded cases of the measured user's projects:
 *
 * - `case-page`: `GET /api/v1/cases/{id}` as a member of the project's security team;
 * - `reporter-view`: `GET /api/v1/reporter/cases/{token}`, the reporter's private link (no account);
 * - `advisory`: `GET /api/v1/cases/{id}/advisory`, the case's advisory as the team reads it.
 *
 * Each connection cycles through a sample of 200 cases drawn from every case seeded so far (the
 * sample is drawn again when the data grows), so that reads land across the whole table, old and
 * new. The baselines (registerCasePageBaselines) issue the same statements through Vigil's own
 * repository functions and decrypt the same fields, and leave out what the ratio prices: the auth
 * plugin and authorization table, the policy, zod serialization, markdown rendering, helmet, metrics.
 *
 * Self-contained: scenarios.mjs adds `casePageScenarios(fixture)`, baseline-app.mjs calls
 * `registerCasePageBaselines`. `fixture.cases` is filled by case-seed.mjs.
 */
import { createHash } from 'node:crypto';
import * as accessRepo from '../../../dist/src/modules/access/access-log.repo.js';
import * as accountsRepo from '../../../dist/src/modules/accounts/accounts.repo.js';
import * as advisoryRepo from '../../../dist/src/modules/advisory/advisory.repo.js';
import { openAdvisoryDocument } from '../../../dist/src/modules/advisory/advisory-record.js';
import * as casesRepo from '../../../dist/src/modules/cases/cases.repo.js';
import { caseCrypto } from '../../../dist/src/modules/cases/case-view.js';
import * as repositoryRepo from '../../../dist/src/modules/fix/repository/repository.repo.js';
import * as projectsRepo from '../../../dist/src/modules/projects/projects.repo.js';
import { newSortableId } from '../../../dist/src/lib/ids.js';

const SAMPLE = 200;

/** A fixed sample of `list`, drawn again only when the list has grown. */
function sampler(list) {
  let drawnAt = -1;
  let sample = [];
  return () => {
    const all = list();
    if (all.length !== drawnAt) {
      drawnAt = all.length;
      const step = Math.max(1, Math.floor(all.length / SAMPLE));
      // Evenly spread over everything seeded so far (oldest to newest), not random: both servers
      // and every run read the same cases.
      sample = [];
      for (let i = 0; i < all.length && sample.length < SAMPLE; i += step) sample.push(all[i]);
    }
    if (sample.length === 0)
      throw new Error('case reads: no cases seeded in the measured projects (BENCH_CASES too small?)');
    return sample;
  };
}

export function casePageScenarios(fixture) {
  const auth = { authorization: `Bearer ${fixture.token}` };
  const teamCases = sampler(() => fixture.cases?.team ?? []);
  const tokens = sampler(() => fixture.cases?.reporterTokens ?? []);
  const advisoryCases = sampler(() => fixture.cases?.advisories ?? []);
  const get = (path, headers = auth) => ({ method: 'GET', path, headers });
  /**
   * Reads every sampled case once on each server before measuring: a team member's first read of
   * a case in ten minutes writes its access-log row (a durable commit), later ones do not. Primed,
   * both servers are measured in that steady state, not whichever happens to run first paying the
   * writes.
   */
  const prime =
    (paths, headers) =>
    async (...urls) => {
      for (const url of urls) {
        for (const path of paths()) {
          const res = await fetch(url + path, { headers });
          await res.arrayBuffer();
        }
      }
      return undefined;
    };
  return [
    {
      id: 'case-page',
      label: 'GET /api/v1/cases/{id}',
      kind: 'read',
      prepare: prime(() => teamCases().map((id) => `/api/v1/cases/${id}`), auth),
      load: () => ({ requests: teamCases().map((id) => get(`/api/v1/cases/${id}`)) }),
      get probe() {
        return get(`/api/v1/cases/${teamCases()[0]}`);
      },
      expect: {
        status: 200,
        verify: (b) =>
          b?.id === teamCases()[0] &&
          Array.isArray(b.messages) &&
          b.messages.length >= 1 &&
          typeof b.title === 'string',
      },
    },
    {
      id: 'reporter-view',
      label: 'GET /api/v1/reporter/cases/{token}',
      kind: 'read',
      load: () => ({ requests: tokens().map((t) => get(`/api/v1/reporter/cases/${t}`, {})) }),
      get probe() {
        return get(`/api/v1/reporter/cases/${tokens()[0]}`, {});
      },
      expect: {
        status: 200,
        verify: (b) =>
          typeof b?.humanId === 'string' && typeof b.title === 'string' && Array.isArray(b.messages),
      },
    },
    {
      id: 'advisory',
      label: 'GET /api/v1/cases/{id}/advisory',
      kind: 'read',
      prepare: prime(() => advisoryCases().map((id) => `/api/v1/cases/${id}/advisory`), auth),
      load: () => ({ requests: advisoryCases().map((id) => get(`/api/v1/cases/${id}/advisory`)) }),
      get probe() {
        return get(`/api/v1/cases/${advisoryCases()[0]}/advisory`);
      },
      expect: {
        status: 200,
        verify: (b) => b?.caseId === advisoryCases()[0] && typeof b.document?.title === 'string',
      },
    },
  ];
}

/**
 * The baselines of the three reads. `caller(request)` resolves the bearer token as Vigil does
 * (token, user, memberships, case memberships) and returns the user or undefined.
 */
export function registerCasePageBaselines(app, { db, cipher, caller }) {
  const k = db.kysely;
  const crypto = caseCrypto(cipher);
  const sha256 = (s) => createHash('sha256').update(s).digest('hex');

  // As Vigil's recordCaseRead: the same insert, skipped when this process wrote that row in this
  // ten-minute bucket already.
  let memo = { bucket: -1, keys: new Set() };
  async function recordRead(user, c, what) {
    const now = new Date();
    const bucket = Math.floor(now.getTime() / 1000 / 600);
    if (memo.bucket !== bucket) memo = { bucket, keys: new Set() };
    const key = `${c.id}\u0000user:${user.id}\u0000${what}`;
    if (memo.keys.has(key)) return;
    await accessRepo.insertCaseRead(k, {
      id: newSortableId(),
      case_id: c.id,
      project_id: c.project_id,
      principal_kind: 'user',
      user_id: user.id,
      operator_name: null,
      what,
      via: 'security-team',
      reader_is_admin: 0,
      reader_key: `user:${user.id}`,
      bucket,
      read_at: now.toISOString(),
    });
    memo.keys.add(key);
  }

  const messageView = (m) => ({
    id: m.id,
    visibility: m.visibility,
    author: { type: m.author_type, name: m.author_name },
    body: crypto.message.open(m.id, m.body_enc),
    automatic: m.automatic === 1,
    channel: m.channel,
    flags: JSON.parse(m.flags_json),
    createdAt: m.created_at,
  });
  const attachmentView = (a) => ({
    id: a.id,
    filename: crypto.filename.open(a.id, a.filename_enc),
    sizeBytes: a.size_bytes,
  });

  app.get('/api/v1/cases/:id', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    const c = await casesRepo.findCaseByRef(k, request.params.id);
    if (!c) return reply.code(404).send({});
    await recordRead(user, c, 'case');
    const project = await projectsRepo.findProjectById(k, c.project_id);
    const [messages, attachments, duplicate, advisory, leads, repository] = await Promise.all([
      casesRepo.listMessages(k, c.id, true),
      casesRepo.listAttachments(k, c.id),
      c.duplicate_of ? casesRepo.findCaseById(k, c.duplicate_of) : Promise.resolve(undefined),
      advisoryRepo.findAdvisoryByCase(k, c.id),
      accountsRepo.listUsersByIds(k, c.fix_lead_user_id ? [c.fix_lead_user_id] : []),
      repositoryRepo.findCaseRepository(k, c.id),
    ]);
    return {
      id: c.id,
      humanId: c.human_id,
      project: { slug: project.slug, name: project.name },
      state: c.state,
      title: crypto.title.open(c.id, c.title_enc),
      report: crypto.report.open(c.id, c.report_enc),
      reporter: {
        email: c.reporter_email_enc ? crypto.reporterEmail.open(c.id, c.reporter_email_enc) : null,
        credit: c.reporter_credit_enc
          ? crypto.credit.open(c.id, c.reporter_credit_enc)
          : { anonymous: false },
      },
      receivedAt: c.received_at,
      duplicateOf: duplicate?.human_id ?? null,
      advisory: advisory ? { advisoryId: advisory.advisory_id, state: advisory.state } : null,
      fixLead: leads[0] ? { userId: leads[0].id, name: leads[0].name } : null,
      repository: repository ? { state: repository.state } : null,
      messages: messages.map(messageView),
      attachments: attachments.map(attachmentView),
    };
  });

  app.get('/api/v1/reporter/cases/:token', async (request, reply) => {
    const c = await casesRepo.findCaseByReporterToken(k, sha256(request.params.token));
    if (!c) return reply.code(404).send({});
    const project = await projectsRepo.findProjectById(k, c.project_id);
    const [messages, attachments] = await Promise.all([
      casesRepo.listMessages(k, c.id, false),
      casesRepo.listAttachments(k, c.id),
    ]);
    return {
      humanId: c.human_id,
      project: { slug: project.slug, name: project.name },
      title: crypto.title.open(c.id, c.title_enc),
      state: c.state,
      receivedAt: c.received_at,
      credit: c.reporter_credit_enc ? crypto.credit.open(c.id, c.reporter_credit_enc) : { anonymous: false },
      messages: messages.map(messageView),
      attachments: attachments.filter((a) => a.uploaded_by === 'reporter').map(attachmentView),
    };
  });

  app.get('/api/v1/cases/:id/advisory', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    const c = await casesRepo.findCaseByRef(k, request.params.id);
    if (!c) return reply.code(404).send({});
    await recordRead(user, c, 'advisory');
    const a = await advisoryRepo.findAdvisoryByCase(k, c.id);
    if (!a) return reply.code(404).send({});
    const rev = await advisoryRepo.findRevision(k, a.id, a.current_revision);
    const document = openAdvisoryDocument(cipher, rev);
    return {
      id: a.id,
      advisoryId: a.advisory_id,
      caseId: c.id,
      caseHumanId: c.human_id,
      state: a.state,
      revision: a.current_revision,
      document,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
    };
  });
}
