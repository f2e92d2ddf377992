/**
 * The public messages of a publication rendered with the project's own templates (or Vigil's
 * defaults): the announcement of the published advisory, and the "a fix is coming" notice with
 * the release instant. The advisory render module checks and renders; this only loads and names.
 */
import type { DbReader } from '../../../db/connection.js';
import { findCurrentTemplate } from '../../advisory/render/advisory-render.repo.js';
import { DEFAULT_TEMPLATES, renderAdvisory, type Rendered } from '../../advisory/render/render-advisory.js';
import type { CaseAdvisory } from './published-advisory.js';

export type PublicationTemplate = 'announcement' | 'fix-coming';

/** The project's current source of template `name`, or Vigil's default. */
export async function templateSource(
  db: DbReader,
  projectId: string,
  name: PublicationTemplate,
): Promise<string> {
  return (await findCurrentTemplate(db, projectId, name))?.source ?? DEFAULT_TEMPLATES[name];
}

/**
 * Renders `name` for the case's advisory: the announcement as published (its CVE id is public),
 * the notice with `releaseAt`. Throws the render's ValidationError (what the advisory lacks).
 */
export async function renderPublication(
  db: DbReader,
  name: PublicationTemplate,
  found: CaseAdvisory,
  releaseAt?: string,
): Promise<Rendered> {
  const source = await templateSource(db, found.project.id, name);
  const advisory = name === 'announcement' ? { ...found.renderable, state: 'published' } : found.renderable;
  return renderAdvisory(name, source, advisory, found.project, releaseAt);
}
