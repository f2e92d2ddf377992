import type { AdvisoryDocument } from '../../api/advisory.js';
import { affectedFieldPaths } from './AffectedEditor.js';

const TEXT_FIELDS = [
  'title',
  'summary',
  'description',
  'workarounds',
  'mitigations',
  'amIVulnerable',
] as const;

/** Every field path of the form, below `document.`, for placing the server's issues. */
export function documentFieldPaths(doc: AdvisoryDocument): string[] {
  return [
    ...TEXT_FIELDS,
    'cwes',
    'references',
    'credits',
    'aliases',
    'affected',
    'severity',
    'severity.cvss',
    ...doc.references.flatMap((_, i) => [`references.${i}`, `references.${i}.type`, `references.${i}.url`]),
    ...doc.credits.flatMap((_, i) => [`credits.${i}`, `credits.${i}.name`, `credits.${i}.type`]),
    ...doc.severity.cvss.map((_, i) => `severity.cvss.${i}`),
    ...doc.aliases.map((_, i) => `aliases.${i}`),
    ...affectedFieldPaths(doc.affected),
  ].map((p) => `document.${p}`);
}

/** The same document, field for field. */
export function sameDocument(a: AdvisoryDocument, b: AdvisoryDocument): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
