/**
 * The advisory renderers as the web UI uses them: a project's editable templates (announcement,
 * distributors' mail, "a fix is coming" notice, public page) and a case's advisory rendered
 * through one of them.
 */
import { answer, api } from './client.js';
import type { Answer, Body, Query } from './types.js';

type Signal = AbortSignal | undefined;

/** One of a project's templates: its source (the project's own or the default) and what it uses. */
export type AdvisoryTemplate = Answer<'listAdvisoryTemplates'>['templates'][number];
export type TemplateVariable = AdvisoryTemplate['variables'][number];
export type TemplateName = AdvisoryTemplate['name'];
/** A rendered template: plain-text mail (with a subject) or an HTML fragment the server sanitized. */
export type AdvisoryRender = Answer<'previewAdvisoryTemplate'>;

/** The four templates, in the order the UI shows them. */
export const TEMPLATE_NAMES = [
  'announcement',
  'distributors',
  'fix-coming',
  'page',
] as const satisfies readonly TemplateName[];

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

const ofTemplate = (slug: string, name: TemplateName) => ({ path: { slug, name } });

/** The project's templates, each with its variables and required fields. */
export async function listAdvisoryTemplates(slug: string, signal?: Signal): Promise<AdvisoryTemplate[]> {
  const { templates } = await answer(
    api.GET('/api/v1/projects/{slug}/advisory-templates', { params: { path: { slug } }, signal }),
  );
  return templates;
}

/** Saves a template's source; 409 when `baseVersion` is no longer the latest. */
export function saveAdvisoryTemplate(
  slug: string,
  name: TemplateName,
  source: string,
  baseVersion: number,
): Promise<AdvisoryTemplate> {
  return answer(
    api.PUT('/api/v1/projects/{slug}/advisory-templates/{name}', {
      params: ofTemplate(slug, name),
      body: { source, baseVersion } satisfies Body<'saveAdvisoryTemplate'>,
    }),
  );
}

/** Puts a template back to Vigil's default; returns it. */
export function resetAdvisoryTemplate(slug: string, name: TemplateName): Promise<AdvisoryTemplate> {
  return answer(
    api.DELETE('/api/v1/projects/{slug}/advisory-templates/{name}', { params: ofTemplate(slug, name) }),
  );
}

/**
 * Renders an unsaved template source against the server's sample advisory; 422 with issues
 * (naming `source` and the line) when it does not parse.
 */
export function previewAdvisoryTemplate(
  slug: string,
  name: TemplateName,
  source: string,
  signal?: Signal,
): Promise<AdvisoryRender> {
  return answer(
    api.POST('/api/v1/projects/{slug}/advisory-templates/{name}/preview', {
      params: ofTemplate(slug, name),
      body: { source },
      signal,
    }),
  );
}

/**
 * Renders a case's advisory through the project's saved template; 422 with one issue per missing
 * field (e.g. `document.workarounds`, `releaseAt`).
 */
export function renderAdvisory(
  caseId: string,
  template: TemplateName,
  releaseAt: string | null,
  signal?: Signal,
): Promise<AdvisoryRender> {
  const query: Query<'renderAdvisory'> = { template, releaseAt: releaseAt || undefined };
  return answer(
    api.GET('/api/v1/cases/{id}/advisory/render', { params: { path: { id: caseId }, query }, signal }),
  );
}
