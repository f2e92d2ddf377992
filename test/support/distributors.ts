/**
 * Factories for the distributors list in API tests: an organisation of a project's list with a
 * named person (a Vigil account) who accepted the project's current embargo text, and a case
 * shared with the organisation, as an early disclosure shares it. Rows are written directly: the
 * list's own workflow (applications, vouching) is tested where it lives.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/connection.js';
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
  const orgId = randomUUID();
  const personId = randomUUID();
  await k
    .insertInto('distributor_orgs')
    .values({
      id: orgId,
      project_id: project.id,
      name: orgName,
      contact_alias: `security@${orgName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
      state: 'active',
      state_note_enc: null,
      vouched_by_org_id: null,
      application_id: null,
      joined_at: now,
      review_due_at: now,
      removed_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await k
    .insertInto('distributor_people')
    .values({
      id: personId,
      org_id: orgId,
      project_id: project.id,
      user_id: user.id,
      name: `${orgName} person`,
      pgp_public_key: null,
      pgp_fingerprint: null,
      pgp_expires_at: null,
      embargo_hash: distributorEmbargoHash(project.policy) ?? 'none',
      embargo_accepted_at: now,
      state: 'active',
      added_by_user_id: null,
      created_at: now,
      removed_at: null,
    })
    .execute();
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
