/**
 * The shapes of the Vigil HTTP API (`/api/v1`) under the names the UI uses: each one is read from
 * the API's OpenAPI document (`generated/openapi.d.ts`, generated from the server's route schemas
 * by `npm run api:types`), never written out again here. Besides, from the server's pure
 * vocabulary: the case states (the transition table), the ability names (the policy table) and
 * the field issue of a problem document.
 */
import type { FieldIssue } from '../../../src/lib/errors.js';
import type { operations } from './generated/openapi.js';

type Operation = keyof operations;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<O extends Operation> = operations[O]['responses'];

/** The JSON body of an operation's success answer (200 or 201), by its operationId. */
export type Answer<O extends Operation> = Json<Responses<O>[keyof Responses<O> & (200 | 201)]>;

/** The JSON request body of an operation, by its operationId. */
export type Body<O extends Operation> = Json<NonNullable<operations[O]['requestBody']>>;

/** The query parameters of an operation, by its operationId. */
export type Query<O extends Operation> = NonNullable<operations[O]['parameters']['query']>;

/** One field-level problem, e.g. in a policy: `line` is the YAML source line when known. */
export type Issue = FieldIssue;

/** An RFC 9457 problem document, as every API error is returned (or as the client stands in for one). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | undefined;
  code?: string | undefined;
  issues?: Issue[] | undefined;
}

export type {
  CaseAbility,
  InstanceAbility,
  ProjectAbility,
  ProjectRole,
} from '../../../src/authz/authz.policy.js';

export type Session = Answer<'getSession'>;
export type User = Session['user'];
export type SignInResult = Answer<'signIn'>;

export type ApiToken = Answer<'listTokens'>['tokens'][number];
/** One's own account, with when one is away (the Fix Lead rotation skips one then). */
export type Me = Answer<'getMe'>;
/** What any page may know of the instance (a demo's banner). */
export type InstanceInfo = Answer<'getInstance'>;
export type Availability = Body<'setAvailability'>;
export type CreatedApiToken = Answer<'createToken'>;
export type ManagedUser = Answer<'listUsers'>['users'][number];
export type CreatedUser = Answer<'createUser'>;
export type UserPatch = Body<'updateUser'>;

export type ProjectSummary = Answer<'listProjects'>['projects'][number];
export type ProjectDetail = Answer<'getProject'>;
export type Member = ProjectDetail['members'][number];
/** A request to join the security team, waiting for another member's approval (issue 11). */
export type MemberRequest = ProjectDetail['memberRequests'][number];
/** The answer to adding a member: added, already a member, or a pending request. */
export type MemberAdded = Answer<'addProjectMember'>;
/** One page of a case's access log ("who has read this"), newest first. */
export type AccessLogPage = Answer<'getCaseAccessLog'>;
export type AccessLogEntry = AccessLogPage['entries'][number];
export type PolicyVersionSummary = Answer<'listPolicyVersions'>['versions'][number];
export type PolicyVersion = Answer<'getPolicyVersion'>;
export type RenderedPolicy = Answer<'renderPolicy'>;

/** The case's states (PROCESS.md §11), in the order of its life: the server's own list. */
export {
  CASE_STATES,
  DISCLOSED_STATES,
  FIX_OPEN_STATES,
  isCaseState,
  TRIAGE_OPEN_STATES,
  type CaseState,
} from '../../../src/modules/cases/case-transitions.js';

/** One page of the inbox, with the count of all that match and the cursor of the next page. */
export type CasePage = Answer<'listCases'>;
export type CaseSummary = CasePage['cases'][number];
/** Many cases moved at once (bulk triage): `ids` by uuid or human id. */
export type BulkTransitionInput = Body<'transitionCases'>;
export type BulkTransitionResult = Answer<'transitionCases'>;
/** The first-response clock of a case. */
export type CaseClock = CaseSummary['clock'];
export type CaseDetail = Answer<'getCase'>;
export type CaseMessage = CaseDetail['messages'][number];
export type CaseAttachment = CaseDetail['attachments'][number];
export type TransitionInput = Body<'transitionCase'>;
export type PublicIssueDraft = Answer<'getPublicIssueDraft'>;
/** Response figures over the last 90 days. */
export type ResponseMetrics = Answer<'getResponseMetrics'>;

/** What the public report form needs to know about a project. */
export type IntakeInfo = Answer<'getIntakeInfo'>;
/** A report as the public form sends it. */
export type ReportInput = Body<'submitReport'>;
/** A file for the API: read in the browser and base64-encoded. */
export type AttachmentInput = NonNullable<ReportInput['attachments']>[number];
export type SubmittedReport = Answer<'submitReport'>;
/** A proof-of-work challenge for a report (held intake). */
export type ReportChallenge = Answer<'getReportChallenge'>;
export type ProofOfWork = Body<'confirmHeldReportWithProof'>['proofOfWork'];
export type HeldConfirmation = Answer<'confirmHeldReport'>;
/** The reporter's side of a case, reached through the private link. */
export type ReporterView = Answer<'getReporterCase'>;
/** How a reporter wants to be credited. */
export type Credit = Body<'setReporterCredit'>;
