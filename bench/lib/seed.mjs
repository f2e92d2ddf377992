/**
 * The benchmark's data. The measured user ("bench") and their five projects are created through
 * Vigil's own services; the bulk that makes the database big (other projects with their policy,
 * users with API tokens, memberships, a hash-chained audit log) is inserted in batches in the shape
 * those services write, because creating 10,000 projects one transaction at a time would take minutes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { KEYED_CHAIN_VERSION, hashAuditEvent } from '../../dist/src/audit/audit.log.js';
import { systemClock } from '../../dist/src/lib/clock.js';
import { createKeyring } from '../../dist/src/lib/crypto/keyring.js';
import { getPresetYaml } from '../../dist/src/modules/policy/policy.presets.js';
import { createServices } from '../../dist/src/server/services.js';

const OPERATOR = { kind: 'operator', name: 'bench' };
export const PRESET = 'contour';
/** Audit events per bulk project: created, policy v1, two members added, six later edits. */
const AUDIT_EVENTS_PER_PROJECT = 10;
const MEMBERS_PER_PROJECT = 2;
const BATCH_PROJECTS = 250;
const INSERT_CHUNK = 500;

/**
 * Creates the measured user, `projects` projects where they are on the security team (constant
 * across data sizes) and their API token.
 */
export async function seedBenchUser(db, projects, cipher = createKeyring({ current: randomBytes(32) })) {
  const services = createServices({ db, clock: systemClock, cipher, publicUrl: 'http://127.0.0.1' });
  const email = 'bench@example.org';
  const { user } = await services.users.createUser(OPERATOR, { email, name: 'Bench', isAdmin: false });
  const slugs = [];
  for (let i = 1; i <= projects; i += 1) {
    const slug = `bench-${i}`;
    await services.projects.createProject(OPERATOR, { slug, name: `Bench ${i}`, preset: PRESET });
    await services.projects.addMember(OPERATOR, slug, { email, role: 'security-team' });
    slugs.push(slug);
  }
  const { token } = await services.apiTokens.createApiToken(OPERATOR, {
    userId: user.id,
    name: 'bench',
    expiresInDays: 30,
  });
  return { userId: user.id, token, slugs, policyYaml: getPresetYaml(PRESET) };
}

/**
 * Grows the database to `projects` projects in total (`benchProjects` of them are the measured
 * user's). Data is added, never removed, so sizes must be visited in increasing order. Returns the
 * row counts afterwards. On PostgreSQL it also runs VACUUM ANALYZE, so that autovacuum does not
 * start in the middle of a measurement after a bulk insert.
 */
export function createSeeder(db, benchProjects) {
  const yaml = getPresetYaml(PRESET);
  const userIds = [];
  let bulkProjects = 0;

  async function growTo(projects) {
    const target = Math.max(0, projects - benchProjects);
    const wantedUsers = Math.max(10, Math.ceil(projects / 2));
    while (userIds.length < wantedUsers) {
      const n = Math.min(BATCH_PROJECTS, wantedUsers - userIds.length);
      await db.kysely.transaction().execute((trx) => addUsers(trx, n));
    }
    while (bulkProjects < target) {
      const n = Math.min(BATCH_PROJECTS, target - bulkProjects);
      await db.kysely.transaction().execute((trx) => addProjects(trx, n));
    }
    if (db.dialect === 'postgres') await sql`vacuum analyze`.execute(db.kysely);
    return countRows(db);
  }

  async function addUsers(trx, n) {
    const now = new Date().toISOString();
    const users = [];
    const tokens = [];
    const events = [];
    for (let i = 0; i < n; i += 1) {
      const id = randomUUID();
      const email = `user-${userIds.length + i}@bench.example.org`;
      users.push({
        id,
        email,
        name: `User ${userIds.length + i}`,
        password_hash: null,
        is_admin: 0,
        created_at: now,
        updated_at: now,
        disabled_at: null,
      });
      const secret = `vgl_${randomBytes(32).toString('base64url')}`;
      const tokenId = randomUUID();
      tokens.push({
        id: tokenId,
        user_id: id,
        name: 'ci',
        token_hash: createHash('sha256').update(secret).digest('hex'),
        token_prefix: secret.slice(0, 12),
        created_at: now,
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      });
      events.push(event(OPERATOR.name, 'user.created', 'user', id, null, { email, admin: false }));
      events.push(
        event(OPERATOR.name, 'token.created', 'api_token', tokenId, null, {
          tokenId,
          name: 'ci',
          expiresAt: null,
        }),
      );
    }
    await insertChunked(trx, 'users', users);
    await insertChunked(trx, 'api_tokens', tokens);
    await appendChained(trx, events);
    userIds.push(...users.map((u) => u.id));
  }

  async function addProjects(trx, n) {
    const now = new Date().toISOString();
    const projects = [];
    const policies = [];
    const members = [];
    const events = [];
    for (let i = 0; i < n; i += 1) {
      const index = bulkProjects + i;
      const id = randomUUID();
      const slug = `p-${index}`;
      projects.push({
        id,
        slug,
        name: `Project ${index}`,
        policy_version: 1,
        team_notes_enc: null,
        created_at: now,
        updated_at: now,
      });
      policies.push({
        id: randomUUID(),
        project_id: id,
        version: 1,
        source_yaml: yaml,
        created_by: null,
        created_at: now,
      });
      events.push(
        event(OPERATOR.name, 'project.created', 'project', id, id, {
          slug,
          name: `Project ${index}`,
          preset: PRESET,
        }),
      );
      events.push(event(OPERATOR.name, 'project.policy_updated', 'project', id, id, { version: 1 }));
      for (let m = 0; m < MEMBERS_PER_PROJECT; m += 1) {
        const userId = userIds[(index * MEMBERS_PER_PROJECT + m) % userIds.length];
        members.push({ project_id: id, user_id: userId, role: 'security-team', created_at: now });
        events.push(
          event(OPERATOR.name, 'project.member_added', 'project', id, id, { userId, role: 'security-team' }),
        );
      }
      for (let e = 2 + MEMBERS_PER_PROJECT; e < AUDIT_EVENTS_PER_PROJECT; e += 1) {
        events.push(event(OPERATOR.name, 'project.updated', 'project', id, id, { fields: ['name'] }));
      }
    }
    await insertChunked(trx, 'projects', projects);
    await insertChunked(trx, 'project_policies', policies);
    await insertChunked(trx, 'project_members', members);
    await appendChained(trx, events);
    bulkProjects += n;
  }

  return { growTo };
}

function event(actorId, action, subjectType, subjectId, projectId, data) {
  return {
    actor_type: 'operator',
    actor_id: actorId,
    action,
    subject_type: subjectType,
    subject_id: subjectId,
    project_id: projectId,
    data_json: JSON.stringify(data),
  };
}

/** Appends events to the audit chain exactly as appendAuditEvent would, one batch at a time. */
async function appendChained(trx, events) {
  const head = await trx
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const occurredAt = new Date().toISOString();
  const rows = events.map((e) => {
    seq += 1;
    const fields = { seq, id: randomUUID(), occurred_at: occurredAt, ...e, prev_hash: prevHash };
    prevHash = hashAuditEvent(fields);
    return { ...fields, hash: prevHash, chain_version: KEYED_CHAIN_VERSION };
  });
  await insertChunked(trx, 'audit_events', rows);
  await trx.updateTable('audit_head').set({ seq, hash: prevHash }).where('id', '=', 1).execute();
}

async function insertChunked(trx, table, rows) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

/** Row counts of the tables the measured requests touch. */
export async function countRows(db) {
  const tables = [
    'projects',
    'users',
    'project_members',
    'project_policies',
    'api_tokens',
    'audit_events',
    'cases',
    'case_messages',
    'advisories',
  ];
  const counts = {};
  for (const table of tables) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
