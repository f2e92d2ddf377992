/**
 * Exports of one advisory record in every standard format: OSV, CVE JSON 5.1, CSAF 2.0 (a security
 * advisory, or a VEX document saying the listed products are not affected) and GitHub's advisory
 * format. The team's drafts are exported too (TLP:AMBER, the CVE id withheld);
 * authorization is the advisory's own (`advisory.read`).
 */
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { projectContextById } from '../../cases/case-context.js';
import { findCaseById } from '../../cases/cases.repo.js';
import type { AdvisoryService } from '../advisory.service.js';
import { toCsaf, toCsafVex, type VexJustification } from './csaf.js';
import { toCve5, toCve5CnaDraft } from './cve5.js';
import { toGhsa } from './ghsa.js';
import { toOsv } from './osv.js';

export const EXPORT_FORMATS = ['osv', 'cve5', 'csaf', 'ghsa', 'vex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a VEX export states about the listed products: why they are not affected. */
export interface VexStatement {
  justification?: VexJustification | undefined;
  impact?: string | undefined;
}

export interface AdvisoryExportDeps {
  db: Db;
  clock: Clock;
  advisories: Pick<AdvisoryService, 'getAdvisory' | 'revisionHistory'>;
  publicUrl: string;
  version: string;
  /** The CNA's organisation UUID for CVE records (VIGIL_CNA_ORG_ID); CVE Services fills in the real one. */
  cnaOrgId?: string | undefined;
}

const PLACEHOLDER_ORG_ID = '00000000-0000-4000-8000-000000000000';

export type AdvisoryExportService = ReturnType<typeof createAdvisoryExportService>;

export function createAdvisoryExportService(deps: AdvisoryExportDeps) {
  return {
    /**
     * The advisory of case (or advisory id) `ref` as a `format` document, with a file name for it.
     * A draft is no CVE record (409): with `cve5Draft` it is the CNA's draft container instead.
     */
    async exportAdvisory(
      principal: Principal,
      ref: string,
      format: ExportFormat,
      vex: VexStatement = {},
      options: { cve5Draft?: boolean } = {},
    ) {
      const advisory = await deps.advisories.getAdvisory(principal, ref);
      const revisions = await deps.advisories.revisionHistory(principal, ref);
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
      const cve5Draft = format === 'cve5' && options.cve5Draft === true && advisory.state === 'draft';
      const document = (() => {
        switch (format) {
          case 'osv':
            return toOsv(exportable, context);
          case 'ghsa':
            return toGhsa(exportable, context);
          case 'cve5': {
            const cve5Context = {
              orgId: deps.cnaOrgId ?? PLACEHOLDER_ORG_ID,
              vendor: project.name,
              generator,
            };
            return cve5Draft ? toCve5CnaDraft(exportable, cve5Context) : toCve5(exportable, cve5Context);
          }
          case 'csaf':
          case 'vex': {
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
            if (format === 'csaf') return toCsaf(exportable, csafContext);
            return toCsafVex(exportable, csafContext, vexStatement(vex));
          }
        }
      })();
      return { filename: `${advisory.advisoryId}.${cve5Draft ? 'cve5-draft' : format}.json`, document };
    },
  };
}

/** A VEX export needs its justification and impact statement: refused naming whichever is missing. */
function vexStatement(vex: VexStatement): { justification: VexJustification; impact: string } {
  const issues = [
    ...(vex.justification
      ? []
      : [{ path: 'justification', message: 'say why the products are not affected' }]),
    ...(vex.impact?.trim()
      ? []
      : [{ path: 'impact', message: 'the impact statement a VEX document requires' }]),
  ];
  if (!vex.justification || !vex.impact?.trim()) {
    throw new ValidationError('A VEX export needs a justification and an impact statement.', issues);
  }
  return { justification: vex.justification, impact: vex.impact };
}
