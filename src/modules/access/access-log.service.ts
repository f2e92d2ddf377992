/** The case's access log for its team: who read its confidential content, newest first. */
import { loadCaseFor } from '../../authz/access.js';
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import * as repo from './access-log.repo.js';

export interface AccessLogDeps {
  db: Db;
}

export type AccessLogService = ReturnType<typeof createAccessLogService>;

export const ACCESS_LOG_PAGE_MAX = 200;

export function createAccessLogService(deps: AccessLogDeps) {
  const k = deps.db.kysely;
  return {
    /** One page, newest first; `cursor` is the `nextCursor` of the page before. */
    async listCaseAccessLog(
      principal: Principal,
      ref: string,
      page: { cursor?: string | undefined; limit?: number | undefined },
    ) {
      const c = await loadCaseFor(k, principal, ref, 'case.access-log.read');
      const limit = Math.min(Math.max(page.limit ?? 50, 1), ACCESS_LOG_PAGE_MAX);
      const rows = await repo.listCaseReads(k, c.id, page.cursor, limit + 1);
      const more = rows.length > limit;
      const shown = more ? rows.slice(0, limit) : rows;
      return {
        entries: shown.map((r) => ({
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
        nextCursor: more ? (shown[shown.length - 1]?.id ?? null) : null,
      };
    },
  };
}
