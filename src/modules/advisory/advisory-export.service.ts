/**
 * Exports of one advisory record in every standard format: OSV, CVE JSON 5.1, CSAF 2.0 and
 * GitHub's advisory format. The team's drafts are exported too (TLP:AMBER, the CVE id withheld);
 * authorization is the advisory's own (`advisory.read`).
 */
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import { projectContextById } from '../cases/case-context.js';
import { findCaseById } from '../cases/cases.repo.js';
import type { AdvisoryService } from './advisory.service.js';
import { toCsaf, toCve5, toGhsa, toOsv } from './export/index.js';

export const EXPORT_FORMATS = ['osv', 'cve5', 'csaf', 'ghsa'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface AdvisoryExportDeps {
  db: Db;
  clock: Clock;
  advisories: Pick<AdvisoryService, 'getAdvisory' | 'listRevisions'>;
  publicUrl: string;
  version: string;
  /** The CNA's organisation UUID for CVE records (VIGIL_CNA_ORG_ID); CVE Services fills in the real one. */
  cnaOrgId?: string | undefined;
}

const PLACEHOLDER_ORG_ID = '00000000-0000-4000-8000-000000000000';

export type AdvisoryExportService = ReturnType<typeof createAdvisoryExportService>;

export function createAdvisoryExportService(deps: AdvisoryExportDeps) {
  return {
    /** The advisory of case (or advisory id) `ref` as a `format` document, with a file name for it. */
    async exportAdvisory(principal: Principal, ref: string, format: ExportFormat) {
      const advisory = await deps.advisories.getAdvisory(principal, ref);
      const revisions = await deps.advisories.listRevisions(principal, ref);
      const c = await findCaseById(deps.db.kysely, advisory.caseId);
      if (!c) throw new NotFoundError(`Case ${ref}`);
      const project = await projectContextById(deps.db.kysely, c.project_id);
      const exportable = { ...advisory, stateReason: advisory.stateReason ?? null };
      const context = {
        project: {
          slug: project.slug,
          name: project.name,
          repositoryUrl: project.policy.project.repositoryUrl,
        },
      };
      const generator = `Vigil ${deps.version}`;
      const document = (() => {
        switch (format) {
          case 'osv':
            return toOsv(exportable, context);
          case 'ghsa':
            return toGhsa(exportable, context);
          case 'cve5':
            return toCve5(exportable, {
              orgId: deps.cnaOrgId ?? PLACEHOLDER_ORG_ID,
              vendor: project.name,
              generator,
            });
          case 'csaf': {
            const csafContext = {
              publisher: {
                name: `${project.name} security team`,
                namespace: deps.publicUrl,
                category: 'vendor' as const,
              },
              vendor: project.name,
              generator: { name: 'Vigil', version: deps.version },
              generatedAt: deps.clock.now().toISOString(),
              revisions: revisions.map((r) => ({ revision: r.revision, createdAt: r.createdAt })),
            };
            return toCsaf(exportable, csafContext);
          }
        }
      })();
      return { filename: `${advisory.advisoryId}.${format}.json`, document };
    },
  };
}
