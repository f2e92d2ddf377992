/** Advisories: the record, its revisions and identifiers, and its routes. */
export {
  createAdvisoryService,
  creditFromReporter,
  type AdvisoryDeps,
  type AdvisoryService,
  type CveRequest,
} from './advisory.service.js';
export { registerAdvisoryRoutes, ADVISORY_BODY_LIMIT } from './advisory.routes.js';
export {
  ADVISORY_STATES,
  CREDIT_TYPES,
  OSV_ECOSYSTEMS,
  REFERENCE_TYPES,
  advisoryDocumentSchema,
  isOsvEcosystem,
  isPurl,
  isSemver,
  parseAdvisoryDocument,
  patchedVersions,
  type AdvisoryDocument,
  type AdvisoryDocumentInput,
  type AdvisoryState,
} from './advisory.schemas.js';
export { diffJson, unifiedLineDiff, type PathChange } from './advisory-diff.js';
