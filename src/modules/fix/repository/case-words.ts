/** The forbidden words of a case as stored: its ids, its advisory's ids, and the team's encrypted list. */
import type { DbReader } from '../../../db/connection.js';
import { findAdvisoryByCase } from '../../advisory/advisory.repo.js';
import { openCveId } from '../../advisory/advisory-cve.js';
import type { CaseCipher, CaseCrypto } from '../../cases/case-view.js';
import { forbiddenWords } from './commit-check.js';

/** The team's own words of case `c`, decrypted (none when never set). */
export function watchwordsOf(crypto: CaseCrypto, c: { id: string; watchwords_enc: string | null }): string[] {
  return c.watchwords_enc ? crypto.watchwords.open(c.id, c.watchwords_enc) : [];
}

/** Every word no commit, branch or tag of the case may carry (commit-check.ts). */
export async function wordsOfCase(
  db: DbReader,
  cipher: Pick<CaseCipher, 'decryptField'>,
  crypto: CaseCrypto,
  c: { id: string; human_id: string; watchwords_enc: string | null },
): Promise<string[]> {
  const advisory = await findAdvisoryByCase(db, c.id);
  return forbiddenWords({
    humanId: c.human_id,
    advisoryId: advisory?.advisory_id ?? null,
    cveId: advisory ? openCveId(cipher, advisory) : null,
    watchwords: watchwordsOf(crypto, c),
  });
}
