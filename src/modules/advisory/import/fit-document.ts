/**
 * Fitting a mapped document into Vigil's advisory record: what the document schema refuses is
 * left out piece by piece (a range, a reference, a purl...) and reported, so that one bad range
 * does not cost the whole advisory. What cannot be left out (the title) fails the import.
 */
import type { z } from 'zod';
import {
  advisoryDocumentSchema,
  parseAdvisoryDocument,
  type AdvisoryDocument,
  type AdvisoryDocumentInput,
} from '../advisory.schemas.js';
import type { UnmappedField } from './imported-record.js';

type Path = (string | number)[];
type Fix = { kind: 'remove'; path: Path } | { kind: 'truncate'; path: Path; max: number };

/** Which piece an issue at `path` is about, and how to make it fit; null when it cannot be left out. */
function fixFor(issue: z.core.$ZodIssue): Fix | null {
  const p = issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x));
  if (issue.code === 'too_big' && issue.origin === 'array') {
    return { kind: 'truncate', path: p, max: Number(issue.maximum) };
  }
  const [head, i, sub, j] = p;
  if (typeof i === 'number') {
    if (head === 'affected') {
      if ((sub === 'ranges' || sub === 'versions') && typeof j === 'number')
        return { kind: 'remove', path: [head, i, sub, j] };
      if (sub === 'purl') return { kind: 'remove', path: [head, i, sub] };
      return { kind: 'remove', path: [head, i] };
    }
    if (head === 'credits' && sub === 'contact') return { kind: 'remove', path: [head, i, sub] };
    if (head === 'references' || head === 'credits' || head === 'cwes' || head === 'aliases')
      return { kind: 'remove', path: [head, i] };
  }
  if (head === 'severity' && i === 'cvss' && typeof sub === 'number')
    return { kind: 'remove', path: [head, i, sub] };
  if (p.length === 1 && (head === 'summary' || head === 'description'))
    return { kind: 'truncate', path: p, max: 0 };
  return null;
}

/** Deeper paths first, higher indices first, so removing one never shifts another. */
function compareDesc(a: Path, b: Path): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y).localeCompare(String(x));
  }
  return b.length - a.length;
}

function parentOf(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function apply(root: Record<string, unknown>, fix: Fix): void {
  const parent = parentOf(root, fix.path);
  const key = fix.path[fix.path.length - 1];
  if (parent === null || typeof parent !== 'object' || key === undefined) return;
  const obj = parent as Record<string | number, unknown>;
  if (fix.kind === 'remove') {
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete obj[key];
    return;
  }
  const value = obj[key];
  if (Array.isArray(value)) obj[key] = value.slice(0, fix.max);
  else if (typeof value === 'string') {
    // summary: one line of 500 characters; description: 100,000.
    obj[key] = key === 'summary' ? value.replace(/\s+/g, ' ').trim().slice(0, 500) : value.slice(0, 100_000);
  }
}

/**
 * The document parsed by the advisory schema, with each refused piece left out and reported in
 * `unmapped` (path `document.<field>`); throws the schema's ValidationError when the refusal is
 * about something that cannot be left out.
 */
export function fitDocument(input: AdvisoryDocumentInput, unmapped: UnmappedField[]): AdvisoryDocument {
  const doc = structuredClone(input) as Record<string, unknown>;
  for (let round = 0; round < 5; round++) {
    const r = advisoryDocumentSchema.safeParse(doc);
    if (r.success) return r.data;
    const fixes = new Map<string, { fix: Fix; messages: string[] }>();
    for (const issue of r.error.issues) {
      const fix = fixFor(issue);
      if (!fix) return parseAdvisoryDocument(doc);
      const key = `${fix.kind}:${fix.path.join('.')}`;
      const entry = fixes.get(key) ?? { fix, messages: [] };
      if (!entry.messages.includes(issue.message)) entry.messages.push(issue.message);
      fixes.set(key, entry);
    }
    const ordered = [...fixes.values()].sort((a, b) => compareDesc(a.fix.path, b.fix.path));
    for (const { fix, messages } of ordered) {
      const what = fix.kind === 'remove' ? 'left out' : fix.max ? `cut to ${fix.max}` : 'shortened';
      unmapped.push({
        path: `document.${fix.path.join('.')}`,
        reason: `refused by the advisory record (${messages.join('; ').slice(0, 300)}): ${what}`,
      });
      apply(doc, fix);
    }
  }
  return parseAdvisoryDocument(doc);
}
