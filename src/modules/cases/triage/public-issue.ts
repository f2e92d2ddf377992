/**
 * The public issue a "not a security issue" report becomes (§2, §3): the technical content the
 * project needs, without who reported it, their contact, their attachments or where it was seen in
 * public. The team reviews it before posting it to the tracker.
 */
import type { StoredReport } from '../cases.schemas.js';

export interface PublicIssueDraft {
  title: string;
  body: string;
  trackerUrl: string | null;
}

export function buildPublicIssue(
  subject: string,
  report: StoredReport,
  trackerUrl: string | null,
): PublicIssueDraft {
  const sections: [string, string][] = [
    ['Steps to reproduce', report.reproduction],
    ['Effects and configuration', report.effects],
    ['Impact', report.impact],
    ['Other projects or dependencies involved', report.dependencies],
  ];
  const body = [
    'This was reported privately to the security team, which found it is not a security issue and redirected it here.',
    ...sections
      .filter(([, text]) => text.trim() !== '')
      .map(([heading, text]) => `## ${heading}\n\n${text.trim()}`),
  ].join('\n\n');
  return { title: subject, body, trackerUrl };
}
