/**
 * The upstream project whose disclosure timeline the case follows (PROCESS.md §6), kept encrypted
 * on the case (`cases.upstream_enc`): its name, link and disclosure instant.
 */
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { CaseCipher } from '../../cases/case-view.js';

export interface Upstream {
  name: string;
  url: string | null;
  /** When upstream discloses: the case's release is never due before it. */
  disclosureAt: string | null;
}

const aad = (caseId: string) => fieldAad('cases', 'upstream_enc', caseId);

export function sealUpstream(cipher: Pick<CaseCipher, 'encryptField'>, caseId: string, u: Upstream): string {
  return cipher.encryptField(JSON.stringify(u), aad(caseId));
}

/** The case's upstream, or null when none is set. */
export function openUpstream(
  cipher: Pick<CaseCipher, 'decryptField'>,
  c: { id: string; upstream_enc: string | null },
): Upstream | null {
  return c.upstream_enc ? (JSON.parse(cipher.decryptField(c.upstream_enc, aad(c.id))) as Upstream) : null;
}
