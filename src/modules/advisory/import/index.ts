/** Advisory import: OSV and GitHub advisory records mapped to advisory documents (pure). */
export { detectFormat, mapImportRecord, type MappedRecord } from './detect.js';
export { fitDocument } from './fit-document.js';
export { importGhsaGraphql, importGhsaRest, parseVersionRange } from './ghsa-import.js';
export type { ImportFormat, ImportedRecord, UnmappedField } from './imported-record.js';
export { importOsv } from './osv-import.js';
