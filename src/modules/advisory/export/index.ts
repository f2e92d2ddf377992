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
export { asciiUri, cvssJson, toCve5, type Cve5Context, type ExportableAdvisory } from './cve5.js';
export { VEX_JUSTIFICATIONS, toCsaf, toCsafVex, type CsafContext, type VexJustification } from './csaf.js';
