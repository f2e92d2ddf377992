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
import * as casesRepo from '../cases/cases.repo.js';
import { overallSeverity, scoreVectors } from './advisory-severity.js';
import { openCveId, sealCveId } from './advisory-cve.js';
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
  /** The instance's CVE index key (advisory-cve.ts cveIndexKey): needed when `cveId` is set. */
  cveIndexKey?: Uint8Array | undefined;
  document: AdvisoryDocument;
  createdAt: string;
  updatedAt: string;
  /** When revision 1 was written (now). */
  revisionAt: string;
}

function cveIndexKeyFor(a: NewAdvisory): Uint8Array {
  if (a.cveId === null) return new Uint8Array(32);
  if (!a.cveIndexKey) throw new Error('An advisory with a CVE id needs the CVE index key.');
  return a.cveIndexKey;
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
    ...sealCveId(cipher, cveIndexKeyFor(a), id, a.cveId),
    cve_request_enc: null,
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
  await recordCaseSeverity(trx, a.caseId, a.document);
  return { id, advisoryId };
}

/**
 * The case's severity is its advisory's: the overall CVSS score and severity name of `doc` (see
 * advisory-severity.ts) written on the case, or nothing when it has no vector. Every revision's
 * save calls it in its transaction, so the inbox and the clocks read it without a join.
 */
export async function recordCaseSeverity(
  trx: DbTransaction,
  caseId: string,
  doc: AdvisoryDocument,
): Promise<void> {
  const overall = overallSeverity(scoreVectors(doc));
  await casesRepo.updateCase(trx, caseId, {
    severity: overall?.severity ?? null,
    cvss_score: overall?.score ?? null,
  });
}

/** A revision's document, decrypted (a revision saved before `aliases` existed reads as having none). */
export function openAdvisoryDocument(
  cipher: Pick<CaseCipher, 'decryptField'>,
  row: Pick<repo.RevisionRow, 'id' | 'document_enc'>,
): AdvisoryDocument {
  const doc = JSON.parse(
    cipher.decryptField(row.document_enc, fieldAad('advisory_revisions', 'document_enc', row.id)),
  ) as Omit<AdvisoryDocument, 'aliases'> & { aliases?: string[] };
  return { ...doc, aliases: doc.aliases ?? [] };
}

/** The case's advisory, its current document and CVE id, or undefined when the case has none yet. */
export async function currentAdvisoryDocument(
  db: DbReader,
  cipher: Pick<CaseCipher, 'decryptField'>,
  caseId: string,
): Promise<{ advisory: repo.AdvisoryRow; document: AdvisoryDocument; cveId: string | null } | undefined> {
  const advisory = await repo.findAdvisoryByCase(db, caseId);
  if (!advisory) return undefined;
  const rev = await repo.findRevision(db, advisory.id, advisory.current_revision);
  if (!rev)
    throw new Error(`advisory ${advisory.advisory_id} lacks its revision ${advisory.current_revision}`);
  return { advisory, document: openAdvisoryDocument(cipher, rev), cveId: openCveId(cipher, advisory) };
}
