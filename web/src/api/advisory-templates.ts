/**
 * The advisory renderers as the web UI uses them: a project's editable templates (announcement,
 * distributors' mail, "a fix is coming" notice, public page) and a case's advisory rendered
 * through one of them.
 */
import { apiRequest } from './client.js';

type Signal = AbortSignal | undefined;

/** The four templates, in the order the UI shows them. */
export const TEMPLATE_NAMES = ['announcement', 'distributors', 'fix-coming', 'page'] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** What each template is, for tabs and messages. */
export const TEMPLATE_LABELS: Record<TemplateName, { tab: string; title: string }> = {
  announcement: { tab: 'Announcement', title: 'The Security Fix Announcement' },
  distributors: { tab: 'Distributors', title: "The distributors' mail" },
  'fix-coming': { tab: 'Fix coming', title: "The users' “a fix is coming” notice" },
  page: { tab: 'Public page', title: 'The public advisory page' },
};

/** A label for a template name the server may add later as well as the four known ones. */
export function templateLabel(name: string): { tab: string; title: string } {
  return (
    (TEMPLATE_LABELS as Record<string, { tab: string; title: string }>)[name] ?? { tab: name, title: name }
  );
}

export interface TemplateVariable {
  name: string;
  description: string;
}

/** One of a project's templates: its source (the project's own or the default) and what it uses. */
export interface AdvisoryTemplate {
  name: string;
  source: string;
  isDefault: boolean;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Paths of the advisory fields a render refuses without, e.g. `document.workarounds`. */
  requiredFields: string[];
  variables: TemplateVariable[];
}

/** A rendered template: plain-text mail (with a subject) or an HTML fragment the server sanitized. */
export interface AdvisoryRender {
  template: string;
  contentType: 'text/plain' | 'text/html';
  subject: string | null;
  body: string;
}

/** The project's templates, each with its variables and required fields. */
export async function listAdvisoryTemplates(slug: string, signal?: Signal): Promise<AdvisoryTemplate[]> {
  const { templates } = await apiRequest<{ templates: AdvisoryTemplate[] }>(
    'GET',
    `/projects/${encodeURIComponent(slug)}/advisory-templates`,
    { signal },
  );
  return templates;
}

/** Saves a template's source; 409 when `baseVersion` is no longer the latest. */
export function saveAdvisoryTemplate(
  slug: string,
  name: string,
  source: string,
  baseVersion: number,
): Promise<AdvisoryTemplate> {
  return apiRequest(
    'PUT',
    `/projects/${encodeURIComponent(slug)}/advisory-templates/${encodeURIComponent(name)}`,
    {
      body: { source, baseVersion },
    },
  );
}

/** Puts a template back to Vigil's default; returns it. */
export function resetAdvisoryTemplate(slug: string, name: string): Promise<AdvisoryTemplate> {
  return apiRequest(
    'DELETE',
    `/projects/${encodeURIComponent(slug)}/advisory-templates/${encodeURIComponent(name)}`,
  );
}

/**
 * Renders an unsaved template source against the server's sample advisory; 422 with issues
 * (naming `source` and the line) when it does not parse.
 */
export function previewAdvisoryTemplate(
  slug: string,
  name: string,
  source: string,
  signal?: Signal,
): Promise<AdvisoryRender> {
  return apiRequest(
    'POST',
    `/projects/${encodeURIComponent(slug)}/advisory-templates/${encodeURIComponent(name)}/preview`,
    { body: { source }, signal },
  );
}

/**
 * Renders a case's advisory through the project's saved template; 422 with one issue per missing
 * field (e.g. `document.workarounds`, `releaseAt`).
 */
export function renderAdvisory(
  caseId: string,
  template: string,
  releaseAt: string | null,
  signal?: Signal,
): Promise<AdvisoryRender> {
  const query = new URLSearchParams({ template });
  if (releaseAt) query.set('releaseAt', releaseAt);
  return apiRequest('GET', `/cases/${encodeURIComponent(caseId)}/advisory/render?${query.toString()}`, {
    signal,
  });
}
