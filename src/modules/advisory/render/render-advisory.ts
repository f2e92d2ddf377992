/**
 * One render of one advisory with one template source: the checks (template, required fields, the
 * CVE id kept out of the distributors' notice), the render, and the mail's subject split off.
 * Pure: the service loads what it renders and stores the templates.
 */
import { ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { ANNOUNCEMENT_TEMPLATE } from './announcement.template.js';
import { DISTRIBUTORS_TEMPLATE } from './distributors.template.js';
import { FIX_COMING_TEMPLATE } from './fix-coming.template.js';
import { PAGE_TEMPLATE } from './page.template.js';
import {
  allowedKeysOf,
  buildRenderContext,
  missingFields,
  type RenderableAdvisory,
  type RenderableProject,
  type TemplateName,
} from './render-context.js';
import { checkTemplate, renderTemplate } from './template-engine.js';

/** Vigil's template of each name, used until a project saves its own. */
export const DEFAULT_TEMPLATES: Readonly<Record<TemplateName, string>> = {
  announcement: ANNOUNCEMENT_TEMPLATE,
  distributors: DISTRIBUTORS_TEMPLATE,
  'fix-coming': FIX_COMING_TEMPLATE,
  page: PAGE_TEMPLATE,
};

export interface Rendered {
  template: TemplateName;
  contentType: 'text/plain' | 'text/html';
  subject: string | null;
  body: string;
}

const SUBJECT_LINE = /^Subject:[ \t]*/;
const MAX_SUBJECT_CHARS = 900;

const isMail = (name: TemplateName) => name !== 'page';

/** The document fields a team might type the CVE id into, by their path. */
function cveBearingFields(advisory: RenderableAdvisory): [string, string][] {
  const d = advisory.document;
  return [
    ['document.title', d.title],
    ['document.summary', d.summary],
    ['document.description', d.description],
    ['document.workarounds', d.workarounds],
    ['document.mitigations', d.mitigations],
    ['document.amIVulnerable', d.amIVulnerable],
    ['document.affected', JSON.stringify(d.affected)],
    ['document.credits', JSON.stringify(d.credits)],
  ];
}

function refuseCve(issues: FieldIssue[]): never {
  throw new ValidationError(
    `The distributors' notice leaves the CVE id out (PROCESS.md §7), but it appears in ${issues.map((i) => i.path).join(', ')}.`,
    issues,
  );
}

/**
 * Checks template `source` for `name` without rendering it: parses, known variables only, and a
 * mail template's first line is its `Subject:`. Throws a ValidationError naming `source` and the line.
 */
export function checkTemplateSource(name: TemplateName, source: string): void {
  checkTemplate(source, allowedKeysOf(name), (variable) =>
    name === 'distributors' && /^(cveId|references|hasReferences)(\.|$)/.test(variable)
      ? ": the distributors' notice leaves out the CVE id and the references"
      : '',
  );
  if (isMail(name) && !SUBJECT_LINE.test(source)) {
    throw new ValidationError('A mail template starts with its subject line.', [
      { path: 'source', message: "line 1: must be the subject, 'Subject: ...'", line: 1 },
    ]);
  }
}

/** A mail's rendered first line as a header-safe subject, and the rest as the body. */
function splitMail(out: string): { subject: string; body: string } {
  const nl = out.indexOf('\n');
  const first = nl === -1 ? out : out.slice(0, nl);
  const subject = first.replace(SUBJECT_LINE, '').replace(/\s+/g, ' ').trim().slice(0, MAX_SUBJECT_CHARS);
  const body = (nl === -1 ? '' : out.slice(nl + 1)).replace(/^\s*\n/, '').replace(/\s+$/, '') + '\n';
  return { subject, body };
}

/** Keeps the CVE id out of the distributors' mail and makes sure it carries the tag and the embargo note. */
function guardDistributors(
  mail: { subject: string; body: string },
  source: string,
  cveId: string | null,
  embargoNote: string,
) {
  if (cveId) {
    const has = (s: string) => s.toUpperCase().includes(cveId.toUpperCase());
    const issues: FieldIssue[] = [];
    if (has(source)) issues.push({ path: 'source', message: "contains the advisory's CVE id" });
    if (has(mail.subject)) issues.push({ path: 'subject', message: "contains the advisory's CVE id" });
    if (has(mail.body)) issues.push({ path: 'body', message: "contains the advisory's CVE id" });
    if (issues.length > 0) refuseCve(issues);
  }
  const subject = /security/i.test(mail.subject) ? mail.subject : `${mail.subject} #security`.trim();
  // The checklist posts the embargo note "at the bottom": an edited template cannot drop it.
  const body = mail.body.includes(embargoNote.trim()) ? mail.body : `${mail.body}\n${embargoNote.trim()}\n`;
  return { subject, body };
}

/**
 * Renders `advisory` of `project` with template `source` for `name`. Throws a ValidationError
 * (422) naming each required field the advisory lacks, a template that does not parse, or, for
 * the distributors, any place the advisory's CVE id would appear.
 */
export function renderAdvisory(
  name: TemplateName,
  source: string,
  advisory: RenderableAdvisory,
  project: RenderableProject,
  releaseAt?: string,
): Rendered {
  checkTemplateSource(name, source);
  const missing = missingFields(name, advisory, releaseAt);
  if (missing.length > 0) {
    throw new ValidationError(
      `The ${name} template needs ${missing.map((m) => m.path).join(', ')}.`,
      missing,
    );
  }
  const cveId = advisory.cveId;
  if (name === 'distributors' && cveId) {
    const issues = cveBearingFields(advisory)
      .filter(([, value]) => value.toUpperCase().includes(cveId.toUpperCase()))
      .map(([path]) => ({
        path,
        message: "contains the advisory's CVE id, which distributors are not sent",
      }));
    if (issues.length > 0) refuseCve(issues);
  }
  const context = buildRenderContext(name, advisory, project, releaseAt);
  if (!isMail(name)) {
    const body = renderTemplate(source, context, 'html');
    return { template: name, contentType: 'text/html', subject: null, body };
  }
  let mail = splitMail(renderTemplate(source, context, 'text'));
  if (name === 'distributors') mail = guardDistributors(mail, source, cveId, context.embargoNote);
  return { template: name, contentType: 'text/plain', ...mail };
}

/**
 * The public page of a published advisory with template `source`: as `renderAdvisory('page', ...)`
 * (escaped, then sanitised), but without refusing a missing section: the advisory is public
 * already (imported history often has no summary), and the page shows what it has.
 */
export function renderPublishedPage(
  source: string,
  advisory: RenderableAdvisory,
  project: RenderableProject,
): string {
  checkTemplateSource('page', source);
  return renderTemplate(source, buildRenderContext('page', advisory, project), 'html');
}
