/** How a case's fix repository is named to people: its clone URL, and its state in the case's summary. */
import type { DbReader } from '../../../db/connection.js';
import * as repo from './repository.repo.js';

/** `https://vigil.example/git/CTR-2026-0001.git`: clone and push with a personal API token. */
export function cloneUrlOf(publicUrl: string, humanId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/git/${humanId}.git`;
}

/**
 * The repository of `c` for `GET /api/v1/cases/:id` (the caller has read the case already): its
 * state and clone URL, or null before acceptance.
 */
export async function repositorySummary(
  db: DbReader,
  c: { id: string; human_id: string },
  publicUrl: string,
): Promise<{ state: repo.RepositoryState; cloneUrl: string } | null> {
  const row = await repo.findCaseRepository(db, c.id);
  if (!row) return null;
  return { state: row.state as repo.RepositoryState, cloneUrl: cloneUrlOf(publicUrl, c.human_id) };
}

/** `{ branch: sha }` as seeded. */
export function seedRefsOf(row: Pick<repo.CaseRepositoryRow, 'seed_refs_json'>): Record<string, string> {
  try {
    const v = JSON.parse(row.seed_refs_json) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(
      Object.entries(v).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && /^[0-9a-f]{40,64}$/.test(e[1]),
      ),
    );
  } catch {
    return {};
  }
}

/** What a branch's own commits are counted and exported from: its seed, or else every seeded head. */
export function basesOf(seeds: Record<string, string>, branch: string): string[] {
  const own = seeds[branch];
  return own ? [own] : [...new Set(Object.values(seeds))];
}
