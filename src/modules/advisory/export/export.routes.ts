/** `GET /api/v1/cases/:id/advisory/export?format=osv|cve5|csaf|ghsa|vex`: the advisory in a standard format. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { EXPORT_FORMATS, type AdvisoryExportService } from './export.service.js';
import { VEX_JUSTIFICATIONS } from './csaf.js';

export function registerAdvisoryExportRoutes(root: FastifyInstance, exports: AdvisoryExportService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/cases/:id/advisory/export',
    {
      schema: {
        operationId: 'exportAdvisory',
        tags: ['advisories'],
        description:
          'The advisory as OSV, a CVE JSON 5.1 record, a CSAF 2.0 security advisory or a GitHub advisory, each valid ' +
          'against its official schema. Drafts are marked TLP:AMBER and never carry the CVE id; a draft is no CVE record ' +
          '(409), and `format=cve5&draft=true` gives it as the CNA container CVE Services takes (`{ cnaContainer }`, ' +
          'no cveMetadata, so no record state). `format=vex` is a ' +
          'CSAF 2.0 VEX document stating that the listed products are not affected, with `justification` and `impact`.',
        params: caseIdParams,
        querystring: z.object({
          format: z.enum(EXPORT_FORMATS),
          justification: z.enum(VEX_JUSTIFICATIONS).optional(),
          impact: z.string().max(2000).optional(),
          /** `true`: a draft's CVE 5 export is the CNA container, marked a draft by having no record state. */
          draft: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { filename, document } = await exports.exportAdvisory(
        request.principal,
        request.params.id,
        request.query.format,
        { justification: request.query.justification, impact: request.query.impact },
        { cve5Draft: request.query.draft === 'true' },
      );
      return reply
        .header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(document, null, 2));
    },
  );
}
