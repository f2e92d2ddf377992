/**
 * Factories for the distributors list in API tests: an organisation of a project's list with a
 * named person (a Vigil account) who accepted the project's current embargo text, and a case
 * shared with the organisation, as an early disclosure shares it. Rows are written directly: the
 * list's own workflow (applications, vouching) is tested where it lives.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../src/db/connection.js';
import type { Database } from '../../src/db/schema.js';
import { projectContextBySlug } from '../../src/modules/cases/case-context.js';
import { distributorEmbargoHash } from '../../src/modules/embargo/portal/portal-access.js';
import { createUser, tokenClient, type Client, type TestApp } from './app.js';

export interface TestDistributor {
  orgId: string;
  orgName: string;
  personId: string;
  user: { id: string; email: string };
  client: Client;
}

/**
 * Inserts an active organisation of a project's list, joined (and due for review) at `now`, neither
 * vouched for nor from an application. Its id (`id`, or a new one).
 */
export async function insertDistributorOrg(
  k: Kysely<Database>,
  row: { projectId: string; name: string; contactAlias: string; now: string; id?: string },
): Promise<string> {
  const id = row.id ?? randomUUID();
  await k
    .insertInto('distributor_orgs')
    .values({
      id,
      project_id: row.projectId,
      name: row.name,
      contact_alias: row.contactAlias,
      state: 'active',
      state_note_enc: null,
      vouched_by_org_id: null,
      application_id: null,
      joined_at: row.now,
      review_due_at: row.now,
      removed_at: null,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
  return id;
}

/**
 * Inserts a person of organisation `orgId`, created at `now`: active, or removed at `removedAt`.
 * With `embargoHash` they accepted that embargo text at `now`; with null they accepted none. Their
 * id (`id`, or a new one).
 */
export async function insertDistributorPerson(
  k: Kysely<Database>,
  row: {
    orgId: string;
    projectId: string;
    userId: string;
    name: string;
    now: string;
    embargoHash: string | null;
    pgp?: { publicKey: string | null; fingerprint: string | null; expiresAt: string | null };
    removedAt?: string;
    id?: string;
  },
): Promise<string> {
  const id = row.id ?? randomUUID();
  await k
    .insertInto('distributor_people')
    .values({
      id,
      org_id: row.orgId,
      project_id: row.projectId,
      user_id: row.userId,
      name: row.name,
      pgp_public_key: row.pgp?.publicKey ?? null,
      pgp_fingerprint: row.pgp?.fingerprint ?? null,
      pgp_expires_at: row.pgp?.expiresAt ?? null,
      embargo_hash: row.embargoHash,
      embargo_accepted_at: row.embargoHash === null ? null : row.now,
      state: row.removedAt === undefined ? 'active' : 'removed',
      added_by_user_id: null,
      created_at: row.now,
      removed_at: row.removedAt ?? null,
    })
    .execute();
  return id;
}

/** An active organisation of `slug`'s list with one person who accepted the current embargo text. */
export async function addDistributor(
  t: TestApp,
  db: Db,
  slug: string,
  orgName: string,
): Promise<TestDistributor> {
  const k = db.kysely;
  const project = await projectContextBySlug(k, slug);
  const user = await createUser(t);
  const now = t.clock.now().toISOString();
  const orgId = await insertDistributorOrg(k, {
    projectId: project.id,
    name: orgName,
    contactAlias: `security@${orgName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
    now,
  });
  const personId = await insertDistributorPerson(k, {
    orgId,
    projectId: project.id,
    userId: user.id,
    name: `${orgName} person`,
    now,
    embargoHash: distributorEmbargoHash(project.policy) ?? 'none',
  });
  return { orgId, orgName, personId, user, client: await tokenClient(t, user.id) };
}

/** Shares case `caseId` with the organisation (what an early disclosure does). */
export async function shareCase(db: Db, caseId: string, orgId: string, at: string): Promise<void> {
  await db.kysely
    .insertInto('case_distributor_shares')
    .values({ case_id: caseId, org_id: orgId, shared_at: at, shared_by_user_id: null })
    .execute();
}

/** Files a report with the reporter's address through the public API: its ids and private link token. */
export async function fileReport(
  t: TestApp,
  slug: string,
  subject: string,
  reporter: { name: string; email: string },
): Promise<{ id: string; humanId: string; token: string }> {
  const filed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${slug}/reports`,
    payload: { subject, reporter, reproduction: `Steps for ${subject}` },
  });
  if (filed.statusCode !== 201) throw new Error(`filing: ${filed.body}`);
  const body = filed.json() as { id: string; humanId: string; reporterLink: string };
  return { id: body.id, humanId: body.humanId, token: body.reporterLink.split('/r/')[1] ?? '' };
}
