/**
 * A project's audit events for its security team and the instance's admins (`project.audit.read`),
 * newest first, a page at a time. The events are the typed catalogue of src/audit/audit.events.ts,
 * which never carries secrets or report text, so they are shown as stored.
 */
import { loadProjectFor } from '../../authz/access.js';
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';
import * as repo from './audit-events.repo.js';

export interface AuditEventsDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
}

export type AuditEventsService = ReturnType<typeof createAuditEventsService>;

function parseData(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function createAuditEventsService(deps: AuditEventsDeps) {
  const k = deps.db.kysely;
  const cursors = lazyCursorCodec(deps);
  return {
    /** One page of the project's audit events, newest first; `cursor` is the `nextCursor` of the page before. */
    async listProjectEvents(
      principal: Principal,
      slug: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const project = await loadProjectFor(k, principal, slug, 'project.audit.read');
      const codec = await cursors();
      const filter = { projectId: project.id };
      const before = cursorKey(codec.decode('project.audit-events', filter, page.cursor), ['number']);
      const { rows, nextCursor } = keysetPage(
        await repo.listProjectAuditEvents(k, project.id, before?.[0], page.limit + 1),
        page.limit,
        (last) => codec.encode('project.audit-events', filter, [last.seq]),
      );
      return {
        events: rows.map((e) => ({
          seq: e.seq,
          id: e.id,
          occurredAt: e.occurred_at,
          actor: { type: e.actor_type, id: e.actor_id, name: e.actor_name ?? null },
          action: e.action,
          subject: { type: e.subject_type, id: e.subject_id },
          data: parseData(e.data_json),
        })),
        nextCursor,
      };
    },
  };
}
