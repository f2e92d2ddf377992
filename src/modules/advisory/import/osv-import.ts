/**
 * An OSV record (any schema version, including GitHub advisory-database files, which are OSV with
 * GitHub's `database_specific`) as an advisory document: the inverse of export/osv.ts.
 */
import type { AdvisoryDocumentInput } from '../advisory.schemas.js';
import {
  arr,
  creditType,
  importCvssVector,
  importAliases,
  importCwes,
  instant,
  isCveId,
  isObject,
  onePerVersion,
  referenceType,
  reportLeftovers,
  requireSourceId,
  requireString,
  str,
  titleOf,
  type ImportedRecord,
  type Json,
  type UnmappedField,
} from './imported-record.js';

type AffectedInput = NonNullable<AdvisoryDocumentInput['affected']>[number];
type RangeInput = NonNullable<AffectedInput['ranges']>[number];

const TOP_LEVEL = [
  'schema_version',
  'id',
  'modified',
  'published',
  'withdrawn',
  'aliases',
  'summary',
  'details',
  'severity',
  'affected',
  'references',
  'credits',
  'database_specific',
];

/** The CVSS severity entries of an OSV `severity` list at `path`; other types are reported. */
function severityVectors(list: unknown, path: string, unmapped: UnmappedField[]) {
  const out: { vector: string; path: string }[] = [];
  arr(list).forEach((s, i) => {
    const at = `${path}.${i}`;
    const type = isObject(s) ? str(s.type) : undefined;
    const score = isObject(s) ? str(s.score) : undefined;
    if (!type || !score || !/^CVSS_V[234]$/.test(type)) {
      unmapped.push({ path: at, reason: `severity type '${type ?? '?'}' is not a CVSS vector Vigil reads` });
      return;
    }
    const kept = importCvssVector(score, `${at}.score`, unmapped);
    if (kept) out.push({ ...kept, path: at });
  });
  return out;
}

function mapRange(r: unknown, at: string, unmapped: UnmappedField[]): RangeInput | null {
  if (!isObject(r)) {
    unmapped.push({ path: at, reason: 'a range is not an object' });
    return null;
  }
  if (r.database_specific !== undefined) {
    unmapped.push({
      path: `${at}.database_specific`,
      reason: 'range-specific data has no place in the record',
    });
  }
  // Passed on as written: the document schema checks the type and events, and the import drops
  // (and reports) a range it refuses rather than the whole advisory.
  return {
    type: r.type as RangeInput['type'],
    ...(r.repo !== undefined ? { repo: r.repo as string } : {}),
    events: arr(r.events) as RangeInput['events'],
  };
}

function mapAffected(
  a: unknown,
  at: string,
  unmapped: UnmappedField[],
  cweIds: { id: unknown; path: string }[],
) {
  if (!isObject(a)) {
    unmapped.push({ path: at, reason: 'an affected entry is not an object' });
    return null;
  }
  // Without a package, the entry is known by its GIT ranges' repository (OSV's form for projects
  // released as commits); the document schema refuses it, and the import reports it, otherwise.
  const pkg = isObject(a.package) ? a.package : {};
  const ecosystem = str(pkg.ecosystem);
  const name = str(pkg.name);
  if (a.ecosystem_specific !== undefined) {
    unmapped.push({
      path: `${at}.ecosystem_specific`,
      reason: 'ecosystem-specific data has no place in the record',
    });
  }
  if (isObject(a.database_specific)) {
    // GitHub's OSV conversion puts the CWEs on each package.
    arr(a.database_specific.cwes).forEach((c, k) =>
      cweIds.push({ id: isObject(c) ? c.cweId : c, path: `${at}.database_specific.cwes.${k}` }),
    );
    reportLeftovers(
      a.database_specific,
      `${at}.database_specific`,
      ['cwes'],
      'no place in the record',
      unmapped,
    );
  }
  const ranges = arr(a.ranges).flatMap((r, j) => mapRange(r, `${at}.ranges.${j}`, unmapped) ?? []);
  const versions = arr(a.versions);
  const out: AffectedInput = {
    ...(ecosystem !== undefined ? { ecosystem } : {}),
    ...(name !== undefined ? { package: name } : {}),
    ...(pkg.purl !== undefined ? { purl: pkg.purl as string } : {}),
    ranges,
    ...(versions.length ? { versions: versions as string[] } : {}),
  };
  return out;
}

/**
 * Maps an OSV record. Throws a ValidationError naming the field when `id` or `modified` is
 * missing; everything else that does not fit is left out and listed in `unmapped`.
 */
export function importOsv(record: Json): ImportedRecord {
  const id = requireSourceId(record, 'id', 'OSV');
  requireString(record, 'modified', 'OSV');
  const unmapped: UnmappedField[] = [];
  const summary = str(record.summary);
  const details = typeof record.details === 'string' ? record.details : '';

  const listed = arr(record.aliases).flatMap((a, i) => {
    const value = str(a);
    if (value === undefined) unmapped.push({ path: `aliases.${i}`, reason: 'an alias is not an id' });
    return value === undefined ? [] : [{ value, path: `aliases.${i}` }];
  });
  const cveId = isCveId(id) ? id : (listed.map((a) => a.value).find(isCveId) ?? null);
  if (record.related !== undefined)
    unmapped.push({ path: 'related', reason: 'related ids have no place in the record' });
  if (record.upstream !== undefined)
    unmapped.push({ path: 'upstream', reason: 'upstream ids have no place in the record' });

  const cweIds: { id: unknown; path: string }[] = [];
  const dbSpecific = isObject(record.database_specific) ? record.database_specific : {};
  arr(dbSpecific.cwe_ids).forEach((c, k) => cweIds.push({ id: c, path: `database_specific.cwe_ids.${k}` }));
  reportLeftovers(dbSpecific, 'database_specific', ['cwe_ids'], 'no place in the record', unmapped);

  const affected = arr(record.affected).flatMap(
    (a, i) => mapAffected(a, `affected.${i}`, unmapped, cweIds) ?? [],
  );
  const vectors = [
    ...severityVectors(record.severity, 'severity', unmapped),
    ...arr(record.affected).flatMap((a, i) =>
      isObject(a) && a.severity !== undefined
        ? severityVectors(a.severity, `affected.${i}.severity`, unmapped)
        : [],
    ),
  ];

  const document: AdvisoryDocumentInput = {
    title: titleOf(summary, details, id),
    summary: summary ?? '',
    description: details,
    affected,
    references: arr(record.references).flatMap((r, i) =>
      isObject(r)
        ? [{ type: referenceType(r.type, `references.${i}.type`, unmapped), url: r.url as string }]
        : [],
    ),
    credits: arr(record.credits).flatMap((c, i) => {
      if (!isObject(c)) return [];
      const contact = arr(c.contact);
      return [
        {
          name: c.name as string,
          ...(contact.length ? { contact: contact as string[] } : {}),
          type: creditType(c.type, `credits.${i}.type`, unmapped),
        },
      ];
    }),
    severity: { cvss: onePerVersion(vectors, unmapped) },
    cwes: importCwes(cweIds, unmapped),
    aliases: importAliases(id, listed, cveId, unmapped),
  };
  reportLeftovers(
    record,
    '',
    TOP_LEVEL.concat(['related', 'upstream']),
    'not an OSV field Vigil reads',
    unmapped,
  );
  return {
    format: 'osv',
    sourceId: id,
    document,
    cveId,
    publishedAt: instant(record.published, 'published', unmapped),
    modifiedAt: instant(record.modified, 'modified', unmapped),
    withdrawnAt: instant(record.withdrawn, 'withdrawn', unmapped),
    unmapped,
  };
}
