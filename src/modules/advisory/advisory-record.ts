/**
 * Writing a new advisory: its row with the next advisory id of the project's prefix and its first
 * revision (encrypted), in the caller's transaction. Drafting a case's advisory and importing a
 * published one both start here, so the two can never number or seal differently.
 */
import type { Principal } from '../../authz/authz.policy.js';
import type { DbReader, DbTransaction } from '../../db/connection.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import { newId } from '../../lib/ids.js';
import * as accountsRepo from '../accounts/accounts.repo.js';
import type { CaseCipher } from '../cases/case-view.js';
import * as repo from './advisory.repo.js';
import type { AdvisoryDocument, AdvisoryState } from './advisory.schemas.js';

/** How a revision names its author: the user's name, `operator <name>`, or `anonymous`. */
export async function authorName(tx: DbReader, principal: Principal): Promise<string> {
  if (principal.kind === 'user') {
    return (await accountsRepo.findUserById(tx, principal.userId))?.name ?? principal.email;
  }
  return principal.kind === 'operator' ? `operator ${principal.name}` : 'anonymous';
}

export interface NewAdvisory {
  caseId: string;
  projectId: string;
  /** The project's case-id prefix (`CTR`): advisories are `CTR-ADV-<year>-<nnnn>`. */
  casePrefix: string;
  year: number;
  state: AdvisoryState;
  /** Why it is withdrawn or rejected; encrypted like every reason. */
  stateReason?: string | undefined;
  cveId: string | null;
  document: AdvisoryDocument;
  createdAt: string;
  updatedAt: string;
  /** When revision 1 was written (now). */
  revisionAt: string;
}

/** Inserts the advisory and its revision 1; returns its row id and advisory id. */
export async function insertAdvisoryRecord(
  trx: DbTransaction,
  cipher: CaseCipher,
  principal: Principal,
  a: NewAdvisory,
): Promise<{ id: string; advisoryId: string }> {
  const prefix = `${a.casePrefix}-ADV`;
  const seq = await repo.nextAdvisoryNumber(trx, prefix, a.year);
  const advisoryId = `${prefix}-${a.year}-${String(seq).padStart(4, '0')}`;
  const id = newId();
  await repo.insertAdvisory(trx, {
    id,
    case_id: a.caseId,
    project_id: a.projectId,
    advisory_id: advisoryId,
    state: a.state,
    state_reason_enc: a.stateReason
      ? cipher.encryptField(a.stateReason, fieldAad('advisories', 'state_reason_enc', id))
      : null,
    cve_id: a.cveId,
    cve_request_json: null,
    current_revision: 1,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  });
  const revId = newId();
  await repo.insertRevision(trx, {
    id: revId,
    advisory_id: id,
    revision: 1,
    document_enc: cipher.encryptField(
      JSON.stringify(a.document),
      fieldAad('advisory_revisions', 'document_enc', revId),
    ),
    author_user_id: principal.kind === 'user' ? principal.userId : null,
    author_name: await authorName(trx, principal),
    created_at: a.revisionAt,
  });
  return { id, advisoryId };
}
