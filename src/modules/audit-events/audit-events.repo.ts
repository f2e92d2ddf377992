/** Data access for reading a project's audit events (the chain itself is src/audit). Queries only. */
import type { DbReader } from '../../db/connection.js';

/**
 * A page of a project's audit events, newest first: those before sequence number `before`,
 * through the index (project_id, seq), with the acting user's name where the actor is one.
 */
export function listProjectAuditEvents(
  db: DbReader,
  projectId: string,
  before: number | undefined,
  limit: number,
) {
  return db
    .selectFrom('audit_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'e.actor_id').on('e.actor_type', '=', 'user'))
    .select([
      'e.seq',
      'e.id',
      'e.occurred_at',
      'e.actor_type',
      'e.actor_id',
      'u.name as actor_name',
      'e.action',
      'e.subject_type',
      'e.subject_id',
      'e.data_json',
    ])
    .where('e.project_id', '=', projectId)
    .$if(before !== undefined, (qb) => qb.where('e.seq', '<', before ?? 0))
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute();
}
