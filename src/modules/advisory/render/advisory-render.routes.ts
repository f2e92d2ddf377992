/** The advisory render routes under a case, and the template routes under a project. Thin. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { slugParams } from '../../projects/projects.schemas.js';
import { advisoryParams } from '../advisory.schemas.js';
import type { AdvisoryRenderService } from './advisory-render.service.js';
import {
  previewInput,
  previewSchema,
  renderInput,
  renderQuery,
  renderSchema,
  saveTemplateInput,
  templateListSchema,
  templateParams,
  templateSchema,
} from './advisory-render.schemas.js';

/** Room for a 64 KiB template written in multi-byte characters, JSON-escaped. */
const TEMPLATE_BODY_LIMIT = 512 * 1024;

/** Registers `GET|POST /api/v1/cases/:id/advisory/render` and `/api/v1/projects/:slug/advisory-templates`. */
export function registerAdvisoryRenderRoutes(root: FastifyInstance, renders: AdvisoryRenderService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['advisories'];
  const render = '/api/v1/cases/:id/advisory/render';
  const templates = '/api/v1/projects/:slug/advisory-templates';

  app.get(
    render,
    {
      schema: {
        operationId: 'renderAdvisory',
        tags,
        description:
          "The advisory rendered with the project's template: the announcement, the distributors' early notice " +
          '(never with the CVE id), the "fix is coming" notice or the public page (sanitised HTML). 422 names each ' +
          'required field that is missing.',
        params: advisoryParams,
        querystring: renderQuery,
        response: { 200: renderSchema },
      },
    },
    async (request) =>
      renders.renderForCase(request.principal, request.params.id, request.query.template, {
        releaseAt: request.query.releaseAt,
      }),
  );

  app.post(
    render,
    {
      bodyLimit: TEMPLATE_BODY_LIMIT,
      schema: {
        operationId: 'renderAdvisoryWithSource',
        tags,
        description:
          'The advisory rendered with `source` (an unsaved template edit) or the saved template; 422 also names the ' +
          'line of a template that does not parse.',
        params: advisoryParams,
        body: renderInput,
        response: { 200: renderSchema },
      },
    },
    async (request) =>
      renders.renderForCase(request.principal, request.params.id, request.body.template, {
        source: request.body.source,
        releaseAt: request.body.releaseAt,
      }),
  );

  app.get(
    templates,
    {
      schema: {
        operationId: 'listAdvisoryTemplates',
        tags,
        description: "The project's advisory templates, each with its required fields and variables.",
        params: slugParams,
        response: { 200: templateListSchema },
      },
    },
    async (request) => ({ templates: await renders.listTemplates(request.principal, request.params.slug) }),
  );

  app.put(
    `${templates}/:name`,
    {
      bodyLimit: TEMPLATE_BODY_LIMIT,
      schema: {
        operationId: 'saveAdvisoryTemplate',
        tags,
        description:
          'Saves the template as a new version; 409 when `baseVersion` is not the current one, 422 naming the line ' +
          'of a template that does not parse.',
        params: templateParams,
        body: saveTemplateInput,
        response: { 200: templateSchema },
      },
    },
    async (request) =>
      renders.saveTemplate(request.principal, request.params.slug, request.params.name, request.body),
  );

  app.delete(
    `${templates}/:name`,
    {
      schema: {
        operationId: 'resetAdvisoryTemplate',
        tags,
        description: "Back to Vigil's default template (recorded as a new version).",
        params: templateParams,
        response: { 200: templateSchema },
      },
    },
    async (request) => renders.resetTemplate(request.principal, request.params.slug, request.params.name),
  );

  app.post(
    `${templates}/:name/preview`,
    {
      bodyLimit: TEMPLATE_BODY_LIMIT,
      schema: {
        operationId: 'previewAdvisoryTemplate',
        tags,
        description: 'The template `source` rendered against a built-in sample advisory.',
        params: templateParams,
        body: previewInput,
        response: { 200: previewSchema },
      },
    },
    async (request) =>
      renders.preview(request.principal, request.params.slug, request.params.name, request.body.source),
  );
}
