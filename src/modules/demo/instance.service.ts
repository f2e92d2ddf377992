/**
 * What every page may know of the instance without signing in (issue 13, item 6): whether it is a
 * demo filled with made-up data by `vigil demo`, so that the app and the server's pages say so.
 */
import type { Db } from '../../db/connection.js';
import { isDemoInstance } from '../../lib/instance-settings.js';

/** The sentence every page of a demo instance shows. */
export const DEMO_NOTICE = 'Demo instance: the data here is made up.';

export interface InstanceInfo {
  /** The instance holds `vigil demo`'s made-up data. */
  demo: boolean;
  /** What the pages show when `demo` (null otherwise). */
  notice: string | null;
}

export type InstanceService = ReturnType<typeof createInstanceService>;

export function createInstanceService(deps: { db: Db }) {
  return {
    async getInstance(): Promise<InstanceInfo> {
      const demo = await isDemoInstance(deps.db.kysely);
      return { demo, notice: demo ? DEMO_NOTICE : null };
    },
  };
}
