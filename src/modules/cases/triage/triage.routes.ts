/** The security team's case routes. Thin: parse, call the triage service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../case-transitions.js';
import { pageQuery } from '../../../lib/pagination.js';
import {
  CASE_CHANNELS,
  INBOX_CLOCKS,
  INBOX_FLAGS,
  INBOX_SEVERITIES,
  bulkTransitionInput,
  bulkTransitionResultSchema,
  caseDetailSchema,
  caseIdParams,
  caseSummarySchema,
  messageInput,
  transitionInput,
} from '../cases.schemas.js';
import { sendDownload } from '../intake/intake.routes.js';
import { slugParams } from '../../projects/projects.schemas.js';
import type { InboxQuery, TriageService } from './triage.service.js';

/** A comma list of some of `values` (each once at most): the list, or undefined when empty. */
function commaList<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .max(400)
    .optional()
    .transform((s) => (s ? [...new Set(s.split(','))] : undefined))
    .pipe(z.array(z.enum(values)).max(values.length).optional())
    .describe(`${what}: a comma list of ${values.map((v) => `\`${v}\``).join(', ')}.`);
}

/** The inbox's query (docs/ARCHITECTURE.md, "The inbox"); `project` and `assigned` only on /cases. */
const inboxQuery = pageQuery.extend({
  sort: z
    .enum(['urgency', 'received'])
    .default('urgency')
    .describe('`urgency` (default): due first, as the clock says; `received`: newest first.'),
  q: z
    .string()
    .max(10_000)
    .optional()
    .describe(
      'Words of the title (every one must be in it; case and accents do not matter, common words are ' +
        'ignored), or a case’s human id.',
    ),
  state: commaList(CASE_STATES, 'States'),
  clock: z
    .enum(INBOX_CLOCKS)
    .optional()
    .describe(
      '`overdue`: past its first-response deadline (or publicly known and unanswered); `due-24h`: due within 24 hours.',
    ),
  channel: commaList(CASE_CHANNELS, 'Channels'),
  severity: commaList(INBOX_SEVERITIES, 'Severities (`unscored`: none yet)'),
  flag: commaList(INBOX_FLAGS, 'Flags (every one)'),
  assignee: z.enum(['me']).optional().describe('`me`: the cases you lead.'),
  held: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .describe('`true`: only the reports held as possibly a flood (left out otherwise).'),
});

type InboxQueryString = z.infer<typeof inboxQuery> & {
  project?: string | undefined;
  assigned?: 'me' | undefined;
};

function inboxFilter(q: InboxQueryString, projectSlug: string | undefined): InboxQuery {
  return {
    limit: q.limit,
    cursor: q.cursor,
    sort: q.sort,
    q: q.q,
    projectSlug,
    states: q.state,
    clock: q.clock,
    channels: q.channel,
    severities: q.severity,
    flags: q.flag,
    assignee: q.assignee ?? q.assigned,
    held: q.held,
  };
}

const hours = z.number().nullable();

/** The figures of `computeResponseMetrics`: hours are null where no case has an answer yet. */
const responseMetricsSchema = z.object({
  windowDays: z.number(),
  cases: z.number(),
  firstResponse: z.object({
    answered: z.number(),
    medianHours: hours,
    p90Hours: hours,
    /** Answered cases with a deadline, plus the unanswered overdue ones: the share's denominator. */
    withDeadline: z.number(),
    metDeadline: z.number(),
    missedDeadline: z.number(),
    /** metDeadline ÷ withDeadline (0 to 1): an overdue unanswered case counts as not met. */
    metShare: z.number().nullable(),
    /** Unanswered past the deadline, whenever received (not only in the window). */
    overdueOpen: z.number(),
    /** Unanswered, the clock still running (not yet due). */
    running: z.number(),
    /** Unanswered, the clock paused while the team waits for the reporter. */
    paused: z.number(),
  }),
  triage: z.object({ triaged: z.number(), medianHours: hours, p90Hours: hours }),
});

export function registerTriageRoutes(root: FastifyInstance, triage: TriageService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const list = z.object({
    cases: z.array(caseSummarySchema),
    /** The cursor of the next page (same filters), or null on the last one. */
    nextCursor: z.string().nullable(),
    /** The cases matching the filter (not the page): exact, or at least this many when `totalIsEstimate`. */
    total: z.number(),
    totalIsEstimate: z.boolean(),
    /** Reports the listed projects hold as possibly a flood (whatever the filter): the "Held" count. */
    heldCount: z.number(),
  });

  app.get(
    '/api/v1/cases',
    {
      schema: {
        operationId: 'listCases',
        tags,
        description:
          'The inbox, a page at a time: cases of all your projects and the cases you were invited to, most ' +
          'urgent first (or newest first), filtered and searched; `held=true`: the reports held as possibly a ' +
          'flood (which the inbox leaves out otherwise). `assigned=me` is the old name of `assignee=me`.',
        querystring: inboxQuery.extend({
          project: z.string().max(40).optional(),
          assigned: z.enum(['me']).optional().describe('Deprecated: `assignee=me`.'),
        }),
        response: { 200: list },
      },
    },
    async (request) => triage.listCases(request.principal, inboxFilter(request.query, request.query.project)),
  );

  app.get(
    '/api/v1/projects/:slug/cases',
    {
      schema: {
        operationId: 'listProjectCases',
        tags,
        description: 'The inbox of one project (the query of `listCases`).',
        params: slugParams,
        querystring: inboxQuery,
        response: { 200: list },
      },
    },
    async (request) => triage.listCases(request.principal, inboxFilter(request.query, request.params.slug)),
  );

  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        operationId: 'getCase',
        tags,
        description: 'A case by its id or human id (VGL-2026-0001).',
        params: caseIdParams,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => triage.getCase(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/messages',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'addCaseMessage',
        tags,
        description: 'A message to the reporter, or with `internal: true` a note only the team sees.',
        params: caseIdParams,
        body: messageInput,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await triage.addMessage(request.principal, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/cases/:id/transitions',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'transitionCase',
        tags,
        params: caseIdParams,
        body: transitionInput,
        response: { 200: z.object({ state: z.enum(CASE_STATES), from: z.enum(CASE_STATES) }) },
      },
    },
    async (request) => triage.transition(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/bulk-transitions',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'transitionCases',
        tags,
        description:
          'One transition for up to 500 cases (by human id or uuid), all or nothing: each case moves ' +
          'exactly as `POST /api/v1/cases/{id}/transitions` moves it (its reporter mail, its audit ' +
          'event). A case you may not triage answers 404; a case the transition is refused for ' +
          'refuses the batch, naming it (`body.ids.N`).',
        body: bulkTransitionInput,
        response: { 200: bulkTransitionResultSchema },
      },
    },
    async (request) => triage.bulkTransition(request.principal, request.body),
  );

  app.put(
    '/api/v1/cases/:id/publicly-known',
    {
      schema: {
        operationId: 'setCasePubliclyKnown',
        tags,
        params: caseIdParams,
        body: z.object({ publiclyKnown: z.boolean() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await triage.setPubliclyKnown(request.principal, request.params.id, request.body.publiclyKnown);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/cases/:id/attachments/:attachmentId',
    {
      schema: {
        operationId: 'getCaseAttachment',
        tags,
        params: caseIdParams.extend({ attachmentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const a = await triage.getAttachment(request.principal, request.params.id, request.params.attachmentId);
      return sendDownload(reply, a.filename, a.bytes);
    },
  );

  app.get(
    '/api/v1/cases/:id/public-issue',
    {
      schema: {
        operationId: 'getPublicIssueDraft',
        tags,
        params: caseIdParams,
        response: {
          200: z.object({ title: z.string(), body: z.string(), trackerUrl: z.string().nullable() }),
        },
      },
    },
    async (request) => triage.publicIssueDraft(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/projects/:slug/metrics/response',
    {
      schema: {
        operationId: 'getResponseMetrics',
        tags,
        description:
          'Time to first response and to triage over the last 90 days; the deadline figures count every open ' +
          'case’s clock too (met, missed, running, paused, overdue).',
        params: slugParams,
        response: { 200: responseMetricsSchema },
      },
    },
    async (request) => triage.metrics(request.principal, request.params.slug),
  );
}
