/** Advisory renders (announcement, distributors' notice, fix-coming notice, public page) and their templates. */
export {
  createAdvisoryRenderService,
  type AdvisoryRenderDeps,
  type AdvisoryRenderService,
} from './advisory-render.service.js';
export { registerAdvisoryRenderRoutes } from './advisory-render.routes.js';
export { DEFAULT_TEMPLATES, renderAdvisory, type Rendered } from './render-advisory.js';
export { TEMPLATE_NAMES, type TemplateName } from './render-context.js';
