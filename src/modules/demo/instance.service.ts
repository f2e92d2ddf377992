/**
 * What every page may know of the instance without signing in (issue 13, item 6): whether it is a
 * demo filled with made-up data by `vigil demo`, so that the app and the server's pages say so.
 */
import { actorOf } from '../../authz/access.js';
import type { Principal } from '../../authz/authz.policy.js';
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { isDemoInstance, markDemoInstance } from '../../lib/instance-settings.js';

/** The sentence every page of a demo instance shows. */
export const DEMO_NOTICE = 'Demo instance: the data here is made up.';

export interface InstanceInfo {
  /** The instance holds `vigil demo`'s made-up data. */
  demo: boolean;
  /** What the pages show when `demo` (null otherwise). */
  notice: string | null;
}

export type InstanceService = ReturnType<typeof createInstanceService>;

export function createInstanceService(deps: { db: Db; clock: Clock }) {
  return {
    /**
     * Marks the instance as `vigil demo`'s (the operator only: the CLI), with its audit event in the
     * same transaction. `clock`: the demo's own, which ends at the present.
     */
    async markDemo(
      operator: Principal,
      summary: { projects: number; cases: number },
      clock: Clock = deps.clock,
    ): Promise<void> {
      if (operator.kind !== 'operator') throw new Error('only the operator marks an instance as a demo');
      await deps.db.kysely.transaction().execute(async (trx) => {
        await markDemoInstance(trx, clock.now().toISOString());
        await appendAuditEvent(trx, clock, {
          actor: actorOf(operator),
          action: 'instance.demo_marked',
          subject: { type: 'instance', id: null },
          data: summary,
        });
      });
    },
    async getInstance(): Promise<InstanceInfo> {
      const demo = await isDemoInstance(deps.db.kysely);
      return { demo, notice: demo ? DEMO_NOTICE : null };
    },
  };
}
