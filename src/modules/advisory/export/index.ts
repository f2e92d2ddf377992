/** The advisory exports: one record, every standard format. */
export {
  OSV_SCHEMA_VERSION,
  osvId,
  publicCveId,
  tlpOf,
  toOsv,
  type AdvisoryExportContext,
  type AdvisoryExportInput,
  type OsvRecord,
} from './osv.js';
export { ghsaSeverityOf, toGhsa, type GhsaRecord, type GhsaSeverity } from './ghsa.js';
