/**
 * Advisory renders and the templates behind them: a case's advisory rendered as the announcement,
 * the distributors' early notice, the "fix is coming" notice or the public page, with the project's
 * own template (or Vigil's default); the project's templates, versioned (every save appends, a
 * reset appends a "default" version), with previews against a sample advisory.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Action, Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { actorOf, loadProjectFor } from '../../../authz/access.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { findCaseById } from '../../cases/cases.repo.js';
import { isUniqueViolation } from '../../pgp/pgp.repo.js';
import { authorName } from '../advisory-record.js';
import type { AdvisoryService } from '../advisory.service.js';
import * as repo from './advisory-render.repo.js';
import { checkTemplateSource, DEFAULT_TEMPLATES, renderAdvisory } from './render-advisory.js';
import { requiredFieldsOf, TEMPLATE_NAMES, variablesOf, type TemplateName } from './render-context.js';
import { SAMPLE_RELEASE_AT, sampleAdvisory } from './sample-advisory.js';

export interface AdvisoryRenderDeps {
  db: Db;
  clock: Clock;
  advisories: Pick<AdvisoryService, 'getAdvisory'>;
}

export type AdvisoryRenderService = ReturnType<typeof createAdvisoryRenderService>;

/** The template as the API shows it: its current source (or the default) with its documentation. */
function templateView(name: TemplateName, row: repo.TemplateRow | undefined) {
  return {
    name,
    source: row?.source ?? DEFAULT_TEMPLATES[name],
    isDefault: !row || row.source === null,
    version: row?.version ?? 0,
    updatedAt: row?.created_at ?? null,
    updatedBy: row?.author_name ?? null,
    requiredFields: requiredFieldsOf(name),
    variables: variablesOf(name),
  };
}

export function createAdvisoryRenderService(deps: AdvisoryRenderDeps) {
  const { db, clock } = deps;
  const k = db.kysely;

  const loadProject = (principal: Principal, slug: string, action: Action) =>
    loadProjectFor(k, principal, slug, action);

  async function currentSource(projectId: string, name: TemplateName): Promise<string> {
    return (await repo.findCurrentTemplate(k, projectId, name))?.source ?? DEFAULT_TEMPLATES[name];
  }

  /** Appends version `current + 1` of a template (`source` null: back to the default), audited. */
  async function appendVersion(
    principal: Principal,
    projectId: string,
    name: TemplateName,
    source: string | null,
    baseVersion: number | undefined,
  ) {
    const stale = (now: number) =>
      new ConflictError(
        `The ${name} template was changed by someone else (now version ${now}, you edited version ${baseVersion}). Reload and apply your change again.`,
      );
    const write = () =>
      k.transaction().execute(async (trx) => {
        const current = await repo.findCurrentTemplate(trx, projectId, name);
        const version = current?.version ?? 0;
        if (baseVersion !== undefined && baseVersion !== version) throw stale(version);
        if (source === null && (!current || current.source === null)) return current;
        const row: repo.TemplateRow = {
          id: newId(),
          project_id: projectId,
          name,
          version: version + 1,
          source,
          author_user_id: principal.kind === 'user' ? principal.userId : null,
          author_name: await authorName(trx, principal),
          created_at: clock.now().toISOString(),
        };
        await repo.insertTemplateVersion(trx, row);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          ...(source === null
            ? { action: 'advisory.template_reset', data: { name, version: row.version } }
            : {
                action: 'advisory.template_saved',
                data: { name, version: row.version, baseVersion: baseVersion ?? null },
              }),
          subject: { type: 'project', id: projectId },
          projectId,
        });
        return row;
      });
    try {
      return templateView(name, await write());
    } catch (err) {
      // Two saves from the same version at once: the loser hits the unique (project, name, version).
      if (!isUniqueViolation(err)) throw err;
      throw stale((await repo.findCurrentTemplate(k, projectId, name))?.version ?? 0);
    }
  }

  return {
    /**
     * The advisory of case `caseRef` rendered with template `name`: the project's saved template,
     * or `source` when given (an unsaved edit). 422 naming each missing field or the template's
     * faulty line; the distributors' mail never carries the CVE id.
     */
    async renderForCase(
      principal: Principal,
      caseRef: string,
      name: TemplateName,
      input: { source?: string | undefined; releaseAt?: string | undefined } = {},
    ) {
      const advisory = await deps.advisories.getAdvisory(principal, caseRef);
      const c = await findCaseById(k, advisory.caseId);
      if (!c) throw new NotFoundError(`Case ${caseRef}`);
      const project: ProjectContext = await projectContextById(k, c.project_id);
      const source = input.source ?? (await currentSource(project.id, name));
      return { ...renderAdvisory(name, source, advisory, project, input.releaseAt), missing: [] };
    },

    /** Every template of the project: its current source, version, author, fields and variables. */
    async listTemplates(principal: Principal, slug: string) {
      const project = await loadProject(principal, slug, 'project.read');
      const rows = await repo.listCurrentTemplates(k, project.id);
      return TEMPLATE_NAMES.map((name) =>
        templateView(
          name,
          rows.find((r) => r.name === name),
        ),
      );
    },

    /**
     * Saves `source` as the next version of template `name` (checked first: 422 naming the line).
     * `baseVersion` is the version the edit started from (0 for the default); a stale one is 409.
     */
    async saveTemplate(
      principal: Principal,
      slug: string,
      name: TemplateName,
      input: { source: string; baseVersion?: number | undefined },
    ) {
      const project = await loadProject(principal, slug, 'advisory.templates.edit');
      const context = await projectContextById(k, project.id);
      // A trial render against the sample catches what parsing cannot (the work budget).
      renderAdvisory(name, input.source, sampleAdvisory(project.name), context, SAMPLE_RELEASE_AT);
      return appendVersion(principal, project.id, name, input.source, input.baseVersion);
    },

    /** Back to Vigil's default template: appends a "default" version (nothing when already default). */
    async resetTemplate(principal: Principal, slug: string, name: TemplateName) {
      const project = await loadProject(principal, slug, 'advisory.templates.edit');
      return appendVersion(principal, project.id, name, null, undefined);
    },

    /** `source` rendered for template `name` against the built-in sample advisory. */
    async preview(principal: Principal, slug: string, name: TemplateName, source: string) {
      const project = await loadProject(principal, slug, 'project.read');
      checkTemplateSource(name, source);
      const context = await projectContextById(k, project.id);
      return renderAdvisory(name, source, sampleAdvisory(project.name), context, SAMPLE_RELEASE_AT);
    },
  };
}
