/**
 * An advisory's CVE id and CNA request, stored encrypted (`advisories.cve_id_enc`,
 * `cve_request_enc`) with a keyed index of the id (`cve_id_index`, keyed-index.ts) for lookups
 * and the rule that a CVE id a team records is held by no other live advisory of the instance
 * (imported history may repeat one). The id is private until
 * publication and stays encrypted after it: the public site decrypts it as it decrypts the
 * published document, so there is one stored form and no moment at which a plaintext copy could
 * be written too early.
 */
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import { CVE_INDEX_SECRET, cveIdIndex, normaliseCveId } from '../../lib/crypto/keyed-index.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { instanceSecretOnce } from '../../lib/instance-secrets.js';
import type { AdvisoryRow } from './advisory.repo.js';

type Open = Pick<Keyring, 'decryptField'>;
type Seal = Pick<Keyring, 'encryptField'>;

export interface CveRequest {
  cna: string;
  requestedAt: string;
  /** The requester: a user id, or `operator:<name>`. */
  requestedBy: string;
}

/** The advisory's CVE id, decrypted, or null. */
export function openCveId(cipher: Open, row: Pick<AdvisoryRow, 'id' | 'cve_id_enc'>): string | null {
  return row.cve_id_enc === null
    ? null
    : cipher.decryptField(row.cve_id_enc, fieldAad('advisories', 'cve_id_enc', row.id));
}

/** The advisory's CVE request, decrypted, or null. */
export function openCveRequest(
  cipher: Open,
  row: Pick<AdvisoryRow, 'id' | 'cve_request_enc'>,
): CveRequest | null {
  return row.cve_request_enc === null
    ? null
    : (JSON.parse(
        cipher.decryptField(row.cve_request_enc, fieldAad('advisories', 'cve_request_enc', row.id)),
      ) as CveRequest);
}

/** The columns that store `cveId` (normalised) on advisory row `id`: encrypted, and its index. */
export function sealCveId(
  cipher: Seal,
  indexKey: Uint8Array,
  id: string,
  cveId: string | null,
): Pick<AdvisoryRow, 'cve_id_enc' | 'cve_id_index'> {
  if (cveId === null) return { cve_id_enc: null, cve_id_index: null };
  const normalised = normaliseCveId(cveId);
  return {
    cve_id_enc: cipher.encryptField(normalised, fieldAad('advisories', 'cve_id_enc', id)),
    cve_id_index: cveIdIndex(indexKey, normalised),
  };
}

/** The stored form of a CVE request on advisory row `id`. */
export function sealCveRequest(cipher: Seal, id: string, request: CveRequest): string {
  return cipher.encryptField(JSON.stringify(request), fieldAad('advisories', 'cve_request_enc', id));
}

/**
 * The instance's CVE index key, read (or created) once: an instance secret, so a master-key
 * rotation re-encrypts it without changing it and the stored indexes stay valid.
 */
export function cveIndexKey(deps: {
  db: Db;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  clock: Clock;
}): () => Promise<Buffer> {
  return instanceSecretOnce(deps, CVE_INDEX_SECRET);
}
