/** The dashboard (`GET /api/v1/me/dashboard`): one's work across one's projects. */
import { answer, api } from './client.js';
import type { Answer } from './types.js';

export type Dashboard = Answer<'getDashboard'>;
export type DashboardCase = Dashboard['overdue']['cases'][number];
export type DashboardEmbargo = Dashboard['embargoes']['cases'][number];

/** The caller's dashboard. */
export function getDashboard(signal?: AbortSignal): Promise<Dashboard> {
  return answer(api.GET('/api/v1/me/dashboard', { signal }));
}
