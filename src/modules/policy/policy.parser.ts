/**
 * YAML text -> validated Policy. Every problem comes back at once as a FieldIssue naming the field
 * (`triage.firstResponse.businessDays`) and the 1-based line of its key, so an editor can point at it.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../lib/errors.js';
import { POLICY_MAX_BYTES, policySchema, type Policy } from './policy.schema.js';

// A policy has no use for aliases; a few are tolerated, but an expansion bomb is not.
const MAX_ALIAS_COUNT = 20;

type PathSegment = PropertyKey;

/** Parses and validates a policy document; throws ValidationError('Policy is invalid', issues). */
export function parsePolicy(yamlText: string): Policy {
  const sizeIssue = checkSize(yamlText);
  if (sizeIssue) throw new ValidationError('Policy is invalid', [sizeIssue]);

  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const yamlIssues = [...doc.errors, ...doc.warnings].map<FieldIssue>((e) => ({
    path: '',
    message:
      e.code === 'DUPLICATE_KEY'
        ? `Duplicate key "${keyAt(yamlText, e.pos[0])}"`
        : `YAML: ${e.message.split('\n')[0]}`,
    line: lineAt(e.pos[0]),
  }));
  if (yamlIssues.length > 0) throw new ValidationError('Policy is invalid', yamlIssues);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    throw new ValidationError('Policy is invalid', [
      {
        path: '',
        message: 'Too many aliases: the document expands too much',
        line: firstAliasLine(doc, lineAt),
      },
    ]);
  }

  const result = policySchema.safeParse(data);
  if (result.success) return result.data;
  const locate = (path: PathSegment[]) => lineOfPath(doc, path, lineAt);
  throw new ValidationError(
    'Policy is invalid',
    result.error.issues.flatMap((i) => toFieldIssues(i, doc, locate)),
  );
}

function checkSize(text: string): FieldIssue | undefined {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: short texts skip the byte count.
  if (text.length * 3 <= POLICY_MAX_BYTES || Buffer.byteLength(text, 'utf8') <= POLICY_MAX_BYTES)
    return undefined;
  // Point at the line where the limit is crossed: that is where the document should end.
  const head = Buffer.from(text.slice(0, POLICY_MAX_BYTES), 'utf8').subarray(0, POLICY_MAX_BYTES);
  let line = 1;
  for (const byte of head) if (byte === 0x0a) line++;
  return { path: '', message: `The document is larger than ${POLICY_MAX_BYTES / 1024} KiB`, line };
}

/** The key text starting at `offset` (the parser points at its first character only). */
function keyAt(text: string, offset: number): string {
  const key = /^[^:\n]*/.exec(text.slice(offset, offset + 200))?.[0] ?? '';
  return key
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
    .slice(0, 80);
}

function toFieldIssues(
  issue: z.core.$ZodIssue,
  doc: Document,
  locate: (path: PathSegment[]) => number,
): FieldIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: `Unknown field "${key.slice(0, 80)}"`,
      line: locate([...issue.path, key]),
    }));
  }
  // Zod reports a missing key as a wrong type or value; the document says whether it is absent.
  const missing = issue.code !== 'custom' && issue.path.length > 0 && !doc.hasIn(issue.path);
  return [
    {
      path: formatPath(issue.path),
      message: missing ? 'Required field is missing' : issue.message,
      line: locate(issue.path),
    },
  ];
}

/** `['fix', 'release', 'maxDays']` -> `fix.release.maxDays`; list items as `reportContents[2]`. */
function formatPath(path: PathSegment[]): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc === '' ? String(seg) : `${acc}.${String(seg)}`;
  }, '');
}

/**
 * The line of the deepest node on `path` that exists: the key's line for a map entry, the item's
 * line for a list item, so a missing key is reported at its parent's line.
 */
function lineOfPath(doc: Document, path: PathSegment[], lineAt: (offset: number) => number): number {
  let node: unknown = doc.contents;
  let line = node && isNodeWithRange(node) ? lineAt(node.range[0]) : 1;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (isNodeWithRange(pair.key)) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      if (isNodeWithRange(item)) line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && 'range' in node && Array.isArray(node.range);
}

function firstAliasLine(doc: Document, lineAt: (offset: number) => number): number {
  let line = 1;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) line = lineAt(node.range[0]);
      return visit.BREAK;
    },
  });
  return line;
}
