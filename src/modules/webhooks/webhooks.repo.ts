/** Data access for a project's webhooks and their deliveries. Queries only. */
import type { DbReader, DbTransaction, DbWriter } from '../../db/connection.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../../db/schema.js';

export type WebhookRow = WebhooksTable;
export type WebhookDeliveryRow = WebhookDeliveriesTable;

const WEBHOOK_COLUMNS = [
  'id',
  'project_id',
  'kind',
  'label',
  'url_enc',
  'url_origin',
  'secret_enc',
  'events_json',
  'state',
  'created_by',
  'created_at',
  'removed_at',
  'updated_at',
] as const;

const DELIVERY_COLUMNS = [
  'id',
  'webhook_id',
  'project_id',
  'case_id',
  'event',
  'occurrence',
  'detail',
  'state',
  'attempts',
  'status_code',
  'last_error',
  'delivered_at',
  'created_at',
  'updated_at',
] as const;

export async function insertWebhook(db: DbTransaction, row: WebhookRow): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

/** The project's webhooks that are not removed, oldest first. */
export function listActiveWebhooks(db: DbReader, projectId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .select(WEBHOOK_COLUMNS)
    .where('project_id', '=', projectId)
    .where('state', '=', 'active')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Webhook `id` of project `projectId` (a removed one too), if it exists. */
export function findWebhook(db: DbReader, projectId: string, id: string): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .select(WEBHOOK_COLUMNS)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks the webhook removed if it is active; false when it was not. */
export async function removeWebhook(db: DbTransaction, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('webhooks')
    .set({ state: 'removed', removed_at: at, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets the events an active webhook receives (JSON array; null: every event); false when it is not active. */
export async function setWebhookEvents(
  db: DbTransaction,
  id: string,
  eventsJson: string | null,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('webhooks')
    .set({ events_json: eventsJson, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Adds a delivery unless one exists for the same webhook, case, event and occurrence; true when added. */
export async function insertDelivery(db: DbTransaction, row: WebhookDeliveryRow): Promise<boolean> {
  const r = await db
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['webhook_id', 'case_id', 'event', 'occurrence']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findDelivery(db: DbReader, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * Records an attempt's outcome while the delivery is still queued (a finished one is never
 * changed: a stale runner's late result is dropped); false when it was not queued any more.
 */
export async function recordDeliveryAttempt(
  db: DbWriter,
  id: string,
  patch: Partial<Pick<WebhookDeliveryRow, 'state' | 'status_code' | 'last_error' | 'delivered_at'>> & {
    updated_at: string;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ ...patch, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A page of one webhook's deliveries, newest first (after `before`: created_at, id), with the case's human id. */
export function listWebhookDeliveries(
  db: DbReader,
  webhookId: string,
  before: readonly [createdAt: string, id: string] | undefined,
  limit: number,
) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([...DELIVERY_COLUMNS.map((c) => `d.${c}` as const), 'c.human_id'])
    .where('d.webhook_id', '=', webhookId)
    .$if(before !== undefined, (qb) =>
      qb.where((eb) =>
        eb(eb.refTuple('d.created_at', 'd.id'), '<', eb.tuple(before?.[0] ?? '', before?.[1] ?? '')),
      ),
    )
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

/** What a case event's message names: the case's human id and hold, its project's slug and name. */
export function findCaseEventSubject(db: DbReader, caseId: string) {
  return db
    .selectFrom('cases as c')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .select(['c.human_id', 'c.held_at', 'p.slug', 'p.name'])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
}

/** Every delivery of a case, with its webhook's label, kind and origin. */
export function listCaseDeliveries(db: DbReader, caseId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([...DELIVERY_COLUMNS.map((c) => `d.${c}` as const), 'w.label', 'w.kind', 'w.url_origin'])
    .where('d.case_id', '=', caseId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute();
}
