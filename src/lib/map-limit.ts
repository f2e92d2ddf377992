/**
 * `items.map(fn)` with at most `limit` calls of `fn` running at once, the results in the items'
 * order: for work on an outside resource (a git process per branch) that must not start all at once
 * nor wait for each in turn. The first rejection rejects the whole (the calls under way finish).
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
