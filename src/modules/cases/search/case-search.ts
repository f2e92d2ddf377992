/**
 * The encrypted-title search (docs/ARCHITECTURE.md, "The inbox"). Titles are encrypted at rest, so
 * the database cannot search them; instead each title's words (lib/search/search-words.ts) are
 * stored as keyed hashes in `case_search_terms` (lib/crypto/keyed-index.ts `titleTerms`):
 * HMAC-SHA256 under the instance secret `index.case_search`, never the word. A query's words are
 * hashed the same way and every one must match (AND). Without the key a database reader cannot
 * test a guessed word; it sees which titles share a word.
 *
 * The terms are written in the transaction that writes the title (intake by web, API and mail;
 * the import), and for titles stored before the index by the migration that made it. No route
 * changes a title once stored; one that does must write its terms again here.
 */
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { CASE_SEARCH_SECRET, titleTerms } from '../../../lib/crypto/keyed-index.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { instanceSecretOnce } from '../../../lib/instance-secrets.js';
import { insertSearchTerms } from './case-search.repo.js';

/** The search key, read (or created) once per service: an instance secret never changes. */
export function caseSearchKey(deps: {
  db: Db;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  clock: Clock;
}): () => Promise<Buffer> {
  return instanceSecretOnce(deps, CASE_SEARCH_SECRET);
}

/** Indexes new cases' titles, in the transaction that stores them: one statement for all. */
export async function indexCaseTitles(
  trx: DbTransaction,
  titles: readonly { key: Uint8Array; case: { id: string; project_id: string }; title: string }[],
): Promise<void> {
  await insertSearchTerms(
    trx,
    titles.flatMap(({ key, case: c, title }) =>
      titleTerms(key, title).map((term) => ({ project_id: c.project_id, term, case_id: c.id })),
    ),
  );
}

/** Indexes a new case's title, in the transaction that stores it. */
export function indexCaseTitle(
  trx: DbTransaction,
  key: Uint8Array,
  c: { id: string; project_id: string },
  title: string,
): Promise<void> {
  return indexCaseTitles(trx, [{ key, case: c, title }]);
}
