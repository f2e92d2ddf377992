/**
 * Which project a recipient address of the SMTP listener belongs to: a case's tagged reply address
 * names its case's project; otherwise the local part names the project (`contour@security.example`).
 */
import type { Db } from '../../../db/connection.js';
import { bareAddress, parseCaseReplyAddress } from '../../../mail/outbound/addressing.js';
import { findCaseById } from '../cases.repo.js';
import { findProjectById, findProjectBySlug } from '../../projects/projects.repo.js';

export async function resolveMailProject(
  db: Db,
  services: { replySecret: () => Promise<Buffer>; mailIntake: { replyDomain: string } },
  address: string,
): Promise<string | undefined> {
  const bare = bareAddress(address)?.toLowerCase();
  if (!bare) return undefined;
  const caseId = parseCaseReplyAddress(bare, await services.replySecret(), services.mailIntake.replyDomain);
  if (caseId) {
    const c = await findCaseById(db.kysely, caseId);
    const project = c ? await findProjectById(db.kysely, c.project_id) : undefined;
    return project?.slug;
  }
  const local = bare.split('@')[0] ?? '';
  return (await findProjectBySlug(db.kysely, local))?.slug;
}
