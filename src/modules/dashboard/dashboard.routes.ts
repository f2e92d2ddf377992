/** The dashboard route. Thin: the service decides what the caller's work is. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dashboardSchema } from './dashboard.schemas.js';
import type { DashboardService } from './dashboard.service.js';

export function registerDashboardRoutes(root: FastifyInstance, dashboard: DashboardService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/me/dashboard',
    {
      schema: {
        operationId: 'getDashboard',
        tags: ['cases'],
        description:
          "The caller's work across their projects and the cases they were invited to: cases overdue, due " +
          'within 24 hours and waiting for a first answer, the cases they lead or are on the Fix Team of, ' +
          'embargoes ending within 14 days, and clocks counted per project. Each list holds at most 20 ' +
          'cases with its total. An admin on no team is told so (`role: admin-only`) rather than given empty lists.',
        response: { 200: dashboardSchema },
      },
    },
    async (request) => dashboard.getDashboard(request.principal),
  );
}
