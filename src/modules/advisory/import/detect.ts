/** Which format a record is in, told from its content, and the mapper for it. */
import { ValidationError } from '../../../lib/errors.js';
import type { AdvisoryDocument } from '../advisory.schemas.js';
import { fitDocument } from './fit-document.js';
import { importGhsaGraphql, importGhsaRest } from './ghsa-import.js';
import { isObject, type ImportFormat, type ImportedRecord } from './imported-record.js';
import { importOsv } from './osv-import.js';

/**
 * The record's format: GitHub GraphQL (`ghsaId`), GitHub REST (`ghsa_id`) or OSV (`id` and
 * `modified`). Throws a ValidationError naming the field otherwise.
 */
export function detectFormat(json: unknown): ImportFormat {
  if (!isObject(json)) {
    throw new ValidationError('The file is not an advisory: it is not a JSON object.', [
      { path: '(document)', message: 'must be a JSON object (one OSV or GitHub advisory)' },
    ]);
  }
  if ('ghsaId' in json) return 'ghsa-graphql';
  if ('ghsa_id' in json) return 'ghsa-rest';
  if ('id' in json && ('modified' in json || 'schema_version' in json || 'affected' in json)) return 'osv';
  throw new ValidationError('The file is neither an OSV record nor a GitHub advisory.', [
    {
      path: 'id' in json ? 'modified' : 'id',
      message: 'not OSV (no `id`/`modified`) nor a GitHub advisory (no `ghsa_id`/`ghsaId`)',
    },
  ]);
}

/** A record mapped, with its document fitted to the advisory schema (`document` parsed). */
export type MappedRecord = Omit<ImportedRecord, 'document'> & { document: AdvisoryDocument };

/**
 * Detects the format, maps the record and fits its document. Throws a ValidationError (issues
 * naming each field) when the record cannot become an advisory.
 */
export function mapImportRecord(json: unknown): MappedRecord {
  const format = detectFormat(json);
  const record = json as Record<string, unknown>;
  const mapped =
    format === 'osv'
      ? importOsv(record)
      : format === 'ghsa-graphql'
        ? importGhsaGraphql(record)
        : importGhsaRest(record);
  const document = fitDocument(mapped.document, mapped.unmapped);
  return { ...mapped, document };
}
