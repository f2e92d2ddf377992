/**
 * The baseline: a bare Fastify server that does the same database work per request as Vigil and
 * nothing else. It issues the statements Vigil issues, through Vigil's own repository functions
 * (so the SQL cannot drift apart), in the same order and transactions: the token lookup by hash,
 * the user, their memberships, then the route's queries. It leaves out what the ratio is meant to
 * price: the auth plugin and authorization table, zod validation and serialization, YAML parsing of
 * the policy, the audit hash chain (a constant stands in for the hash), helmet, metrics, OpenAPI.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import * as accountsRepo from '../../dist/src/modules/accounts/accounts.repo.js';
import * as projectsRepo from '../../dist/src/modules/projects/projects.repo.js';
import { registerIntakeBaseline } from './scenarios/intake.mjs';
import { registerCasePageBaselines } from './scenarios/case-page.mjs';
import { registerInboxBaselines } from './scenarios/inbox.mjs';

const PLACEHOLDER_HASH = 'b'.repeat(64);

/** Builds the baseline server on an open Vigil database handle (from openDb) and the run's keyring. */
export function buildBaselineApp(db, cipher) {
  const k = db.kysely;
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  const sha256 = (s) => createHash('sha256').update(s).digest('hex');

  // Same reads as Vigil's resolveApiToken + loadPrincipal: the token, the user, their project
  // memberships and their case memberships.
  async function caller(request) {
    const token = (request.headers.authorization ?? '').slice('Bearer '.length);
    const row = await accountsRepo.findApiTokenByHash(k, sha256(token));
    if (!row) return undefined;
    const user = await accountsRepo.findUserById(k, row.user_id);
    if (!user) return undefined;
    await Promise.all([
      accountsRepo.listMemberships(k, user.id),
      accountsRepo.listCaseMemberships(k, user.id),
    ]);
    return user;
  }

  // The three statements of appendAuditEvent, without the hash.
  async function appendAudit(trx, row) {
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('audit_events')
      .values({
        seq: head.seq,
        id: randomUUID(),
        occurred_at: new Date().toISOString(),
        ...row,
        prev_hash: head.hash,
        hash: PLACEHOLDER_HASH,
      })
      .execute();
    await trx.updateTable('audit_head').set({ hash: PLACEHOLDER_HASH }).where('id', '=', 1).execute();
  }

  app.get('/api/v1/projects', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    return { projects: await projectsRepo.listProjectsOfUser(k, user.id) };
  });

  app.get('/api/v1/projects/:slug', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    const project = await projectsRepo.findProjectBySlug(k, request.params.slug);
    if (!project) return reply.code(404).send({});
    const [policy, members] = await Promise.all([
      projectsRepo.findPolicyVersion(k, project.id, project.policy_version),
      projectsRepo.listMembers(k, project.id),
    ]);
    return { ...project, policy, members };
  });

  app.put('/api/v1/projects/:slug/policy', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    const slug = request.params.slug;
    const project = await projectsRepo.findProjectBySlug(k, slug);
    if (!project) return reply.code(404).send({});
    return k.transaction().execute(async (trx) => {
      const current = await projectsRepo.findProjectBySlug(trx, slug);
      const now = new Date().toISOString();
      await projectsRepo.bumpPolicyVersion(trx, current.id, current.policy_version, now);
      const version = current.policy_version + 1;
      await projectsRepo.insertPolicyVersion(trx, {
        id: randomUUID(),
        project_id: project.id,
        version,
        source_yaml: request.body.yaml,
        created_by: user.id,
        created_at: now,
      });
      await appendAudit(
        trx,
        auditRow(user.id, 'project.policy_updated', 'project', project.id, project.id, { version }),
      );
      return { version };
    });
  });

  app.post('/api/v1/me/tokens', async (request, reply) => {
    const user = await caller(request);
    if (!user) return reply.code(401).send({});
    const result = await k.transaction().execute(async (trx) => {
      const owner = await accountsRepo.findUserById(trx, user.id);
      const token = `vgl_${randomBytes(32).toString('base64url')}`;
      const id = randomUUID();
      const createdAt = new Date().toISOString();
      const expiresAt = new Date(Date.now() + request.body.expiresInDays * 86_400_000).toISOString();
      await accountsRepo.insertApiToken(trx, {
        id,
        user_id: owner.id,
        name: request.body.name,
        token_hash: sha256(token),
        token_prefix: token.slice(0, 12),
        created_at: createdAt,
        expires_at: expiresAt,
      });
      const data = { tokenId: id, name: request.body.name, expiresAt };
      await appendAudit(trx, auditRow(user.id, 'token.created', 'api_token', id, null, data));
      return { token, id, name: request.body.name, createdAt, expiresAt };
    });
    return reply.code(201).send(result);
  });

  registerIntakeBaseline(app, db, appendAudit);
  registerCasePageBaselines(app, { db, cipher, caller });
  registerInboxBaselines(app, { db, cipher, caller });

  return app;
}

function auditRow(userId, action, subjectType, subjectId, projectId, data) {
  return {
    actor_type: 'user',
    actor_id: userId,
    action,
    subject_type: subjectType,
    subject_id: subjectId,
    project_id: projectId,
    data_json: JSON.stringify(data),
  };
}
