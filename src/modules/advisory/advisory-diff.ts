/**
 * Differences between two advisory revisions: every changed JSON path with its values before and
 * after, and a unified line diff of the Markdown description (a plain LCS; no package needed).
 */

export interface PathChange {
  /** `title`, `affected[0].ranges[1].events[0].fixed`; `null` before/after for an added/removed path. */
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf (or whole added/removed subtree) that differs between `a` and `b`, in document order. */
export function diffJson(a: unknown, b: unknown, path = ''): PathChange[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: PathChange[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const p = `${path}[${i}]`;
      if (i >= a.length) out.push({ path: p, before: null, after: b[i] });
      else if (i >= b.length) out.push({ path: p, before: a[i], after: null });
      else out.push(...diffJson(a[i], b[i], p));
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a)) return [{ path: p, before: null, after: b[k] }];
      if (!(k in b)) return [{ path: p, before: a[k], after: null }];
      return diffJson(a[k], b[k], p);
    });
  }
  return a === b ? [] : [{ path, before: a ?? null, after: b ?? null }];
}

/** Above this many line pairs the middle is shown as replaced rather than aligned (bounded memory). */
const MAX_LCS_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };

function lineOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i += 1) ops.push({ kind: ' ', text: a[i] ?? '', aLine: i, bLine: i });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_LCS_CELLS) {
    midA.forEach((t, i) => ops.push({ kind: '-', text: t, aLine: start + i, bLine: start }));
    midB.forEach((t, j) => ops.push({ kind: '+', text: t, aLine: endA, bLine: start + j }));
  } else {
    // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    const at = (i: number, j: number) => lcs[i * (m + 1) + j] ?? 0;
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        lcs[i * (m + 1) + j] =
          midA[i] === midB[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', text: midA[i] ?? '', aLine: start + i, bLine: start + j });
        i += 1;
        j += 1;
      } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
        // Removals before additions, as diff(1) shows a changed line.
        ops.push({ kind: '-', text: midA[i] ?? '', aLine: start + i, bLine: start + j });
        i += 1;
      } else {
        ops.push({ kind: '+', text: midB[j] ?? '', aLine: start + i, bLine: start + j });
        j += 1;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k += 1) {
    ops.push({ kind: ' ', text: a[endA + k] ?? '', aLine: endA + k, bLine: endB + k });
  }
  return ops;
}

/** Lines of `s`; a final newline ends the last line rather than starting an empty one. */
function splitLines(s: string): string[] {
  const t = s.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  return t === '' && s === '' ? [] : t.split('\n');
}

/** A unified diff (`@@ -a,n +b,m @@` hunks, `context` lines around each change); empty when equal. */
export function unifiedLineDiff(before: string, after: string, context = 3): string {
  const ops = lineOps(splitLines(before), splitLines(after));
  const changed = ops.flatMap((o, i) => (o.kind === ' ' ? [] : [i]));
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(ops.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const out: string[] = [];
  for (const [lo, hi] of hunks) {
    const slice = ops.slice(lo, hi + 1);
    const first = slice[0];
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    const aStart = first ? first.aLine + (aCount > 0 ? 1 : 0) : 0;
    const bStart = first ? first.bLine + (bCount > 0 ? 1 : 0) : 0;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of slice) out.push(`${o.kind}${o.text}`);
  }
  return out.join('\n') + '\n';
}
