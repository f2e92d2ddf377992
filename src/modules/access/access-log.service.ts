/** The case's access log for its team: who read its confidential content, newest first. */
import { loadCaseFor } from '../../authz/access.js';
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';
import * as repo from './access-log.repo.js';

export interface AccessLogDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
}

export type AccessLogService = ReturnType<typeof createAccessLogService>;

export function createAccessLogService(deps: AccessLogDeps) {
  const k = deps.db.kysely;
  const cursors = lazyCursorCodec(deps);
  return {
    /** One page, newest first; `cursor` is the `nextCursor` of the page before. */
    async listCaseAccessLog(
      principal: Principal,
      ref: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const c = await loadCaseFor(k, principal, ref, 'case.access-log.read');
      const codec = await cursors();
      // The list is the case's: a cursor of another case's log is refused.
      const filter = { caseId: c.id };
      const after = cursorKey(codec.decode('case.access-log', filter, page.cursor), ['string']);
      const { rows, nextCursor } = keysetPage(
        await repo.listCaseReads(k, c.id, after?.[0], page.limit + 1),
        page.limit,
        (last) => codec.encode('case.access-log', filter, [last.id]),
      );
      return {
        entries: rows.map((r) => ({
          id: r.id,
          reader:
            r.principal_kind === 'operator'
              ? { kind: 'operator' as const, userId: null, name: r.operator_name ?? 'operator', email: null }
              : {
                  kind: 'user' as const,
                  userId: r.user_id,
                  // A deleted account keeps its row: the name is gone, the read is not.
                  name: r.user_name ?? 'a removed account',
                  email: r.user_email ?? null,
                },
          what: r.what,
          via: r.via,
          admin: r.reader_is_admin === 1,
          at: r.read_at,
        })),
        nextCursor,
      };
    },
  };
}
