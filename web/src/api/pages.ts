/**
 * Lists the server pages with a cursor (`limit`, `cursor` -> `nextCursor`). `allPages` follows the
 * cursors to the end, for the few short lists a page shows whole (an advisory's revisions, a
 * project's policy versions); long ones show a page and a "Show more" button instead.
 */

/** The rows of every page, in order: `page(cursor)` fetches one, `rows` picks its rows. */
export async function allPages<P extends { nextCursor: string | null }, R>(
  page: (cursor: string | undefined) => Promise<P>,
  rows: (p: P) => R[],
): Promise<R[]> {
  const out: R[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...rows(p));
    cursor = p.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}
