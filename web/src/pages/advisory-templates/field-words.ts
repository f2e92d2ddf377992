import type { Issue } from '../../api/types.js';

/** The advisory fields a template may require, in words the team uses. */
const FIELD_WORDS: Record<string, string> = {
  'document.title': 'the title',
  'document.summary': 'the summary',
  'document.description': 'the description',
  'document.affected': 'the affected packages',
  // A pair: the templates that need them are satisfied by either one.
  'document.workarounds': 'workarounds (or mitigations)',
  'document.mitigations': 'mitigations (or workarounds)',
  'document.amIVulnerable': '“Am I vulnerable?”',
  'document.references': 'references',
  'document.credits': 'credits',
  'document.severity': 'the severity (CVSS)',
  'document.severity.cvss': 'the severity (CVSS)',
  'document.cwes': 'the weaknesses (CWE)',
  releaseAt: 'the release date',
  cveId: 'the CVE id',
  patchedVersions: 'the patched versions',
  advisoryId: 'the advisory id',
};

/** One field in words with its path after it: "workarounds (document.workarounds)". */
export function describeField(path: string): string {
  const words = FIELD_WORDS[path];
  if (words) return `${words} (${path})`;
  const last = path.split('.').pop() ?? path;
  return last === path ? path : `${last} (${path})`;
}

/**
 * The fields a render refused without, as one sentence's list: "workarounds (document.workarounds),
 * the release date (releaseAt)". Each field once, in the server's order.
 */
export function describeMissing(issues: Issue[]): string {
  const paths = [...new Set(issues.map((issue) => issue.path).filter((path) => path !== ''))];
  return paths.map(describeField).join(', ');
}
