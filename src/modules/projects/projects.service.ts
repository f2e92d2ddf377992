/**
 * Projects: creation from a preset or a policy document, the versioned policy (every save is a
 * new version, audited), the security team, and the team's private notes (encrypted at rest).
 */
import type { AuditEventInput } from '../../audit/audit.events.js';
import { appendAuditEvent } from '../../audit/audit.log.js';
import {
  UI_ABILITIES,
  abilities,
  authorize,
  can,
  type Action,
  type Principal,
  type ProjectRole,
} from '../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdownSafe } from '../../lib/markdown.js';
import { actorOf, loadProjectFor, listProjectsFor, projectLabel } from '../../authz/access.js';
import * as accountsRepo from '../accounts/accounts.repo.js';
import { getPresetYaml } from '../policy/policy.presets.js';
import { parsePolicy } from '../policy/policy.parser.js';
import { renderSecurityMd } from '../policy/security-md.renderer.js';
import type { Policy } from '../policy/policy.schema.js';
import { enqueueMembersMail } from './members-notify.js';
import * as repo from './projects.repo.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';

/** What the projects service needs from the keyring. */
export type FieldCipher = Pick<Keyring, 'encryptField' | 'decryptField'>;

export interface ProjectsDeps {
  db: Db;
  clock: Clock;
  cipher: FieldCipher;
  publicUrl: string;
}

const TEAM_NOTES_MAX = 20_000;

export type ProjectsService = ReturnType<typeof createProjectsService>;

export function createProjectsService(deps: ProjectsDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const nowIso = () => clock.now().toISOString();
  const label = projectLabel;
  const cursors = lazyCursorCodec(deps);
  const notesAad = (projectId: string) => fieldAad('projects', 'team_notes_enc', projectId);

  const loadAuthorized = (principal: Principal, slug: string, action: Action) =>
    loadProjectFor(k, principal, slug, action);

  /** The pending request `requestId` of the project, under the project's lock; 404 or 409 otherwise. */
  async function pendingRequest(trx: DbTransaction, projectId: string, slug: string, requestId: string) {
    await repo.lockProject(trx, projectId);
    const r = await repo.findMemberRequest(trx, projectId, requestId);
    if (!r) throw new NotFoundError(`Request ${requestId} of '${slug}'`);
    if (r.state !== 'pending') throw new ConflictError(`Request ${requestId} was already ${r.state}.`);
    return r;
  }

  function author(row: { author_id: string | null; author_name: string | null }) {
    return row.author_id ? { id: row.author_id, name: row.author_name ?? '' } : null;
  }

  function renderFor(policy: Policy, slug: string): string {
    return renderSecurityMd(policy, {
      reportUrl: `${deps.publicUrl}/p/${slug}/report`,
      securityTxtUrl: `${deps.publicUrl}/p/${slug}/security.txt`,
    });
  }

  /** Someone joins the team (directly, or by an approved request): the role, its audit event, the team's mail. */
  async function joinTeam(
    trx: DbTransaction,
    principal: Principal,
    projectId: string,
    added: AuditEventInput<'project.member_added'>['data'],
    now: string,
  ): Promise<void> {
    await repo.insertMember(trx, {
      project_id: projectId,
      user_id: added.userId,
      role: added.role,
      created_at: now,
    });
    await appendAuditEvent(trx, clock, {
      actor: actorOf(principal),
      action: 'project.member_added',
      subject: { type: 'project', id: projectId },
      projectId,
      data: added,
    });
    await enqueueMembersMail(trx, clock, { projectId, notice: 'added', ref: `${added.userId}:${now}` });
  }
  return {
    /** Creates a project with policy version 1, from a named preset or a YAML document. */
    async createProject(
      principal: Principal,
      input: { slug: string; name: string; preset?: string | undefined; policyYaml?: string | undefined },
    ) {
      authorize(principal, 'instance.projects.create', { label: 'Projects' });
      const yaml = input.preset !== undefined ? getPresetYaml(input.preset) : input.policyYaml;
      if (yaml === undefined)
        throw new ValidationError('Give a preset or a policy.', [{ path: 'preset', message: 'required' }]);
      const parsed = parsePolicy(yaml);
      return k.transaction().execute(async (trx) => {
        if (await repo.findProjectBySlug(trx, input.slug)) {
          throw new ConflictError(`A project with the slug '${input.slug}' already exists.`);
        }
        const now = nowIso();
        const row: repo.ProjectRow = {
          id: newId(),
          slug: input.slug,
          name: input.name,
          policy_version: 1,
          created_at: now,
          updated_at: now,
        };
        await repo.insertProject(trx, row);
        await repo.insertPolicyVersion(trx, {
          id: newId(),
          project_id: row.id,
          version: 1,
          source_yaml: yaml,
          created_by: principal.kind === 'user' ? principal.userId : null,
          created_at: now,
        });
        await repo.setRequireTwoFactor(trx, row.id, parsed.access.requireTwoFactor);
        const actor = actorOf(principal);
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'project.created',
          subject: { type: 'project', id: row.id },
          projectId: row.id,
          data: { slug: row.slug, name: row.name, preset: input.preset ?? null },
        });
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'project.policy_updated',
          subject: { type: 'project', id: row.id },
          projectId: row.id,
          data: { version: 1 },
        });
        return summary(row);
      });
    },

    /** The projects the caller may see: all for admins and the operator, their own for others. */
    async listProjects(principal: Principal) {
      return (await listProjectsFor(k, principal, 'project.read')).map(summary);
    },

    async getProject(principal: Principal, slug: string) {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const manages = can(principal, 'project.members.request', { projectId: project.id });
      const [policy, members, requests] = await Promise.all([
        repo.findPolicyVersion(k, project.id, project.policy_version),
        repo.listMembers(k, project.id),
        manages ? repo.listPendingMemberRequests(k, project.id) : Promise.resolve([]),
      ]);
      if (!policy) throw new Error(`project ${project.slug} has no policy version ${project.policy_version}`);
      return {
        ...summary(project),
        policy: {
          version: policy.version,
          yaml: policy.source_yaml,
          createdAt: policy.created_at,
          createdBy: author(policy),
        },
        rejectionCategories: [...parsePolicy(policy.source_yaml).triage.rejectionReasons],
        members: members.map((m) => ({ userId: m.user_id, email: m.email, name: m.name, role: m.role })),
        // Requests to join the team, waiting for a member's approval (those who manage members see them).
        memberRequests: requests.map((r) => ({
          id: r.id,
          userId: r.user_id,
          email: r.user_email,
          name: r.user_name,
          role: r.role,
          requestedBy: r.requested_by_user_id
            ? { id: r.requested_by_user_id, name: r.requester_name ?? '' }
            : null,
          createdAt: r.created_at,
        })),
        abilities: abilities(principal, UI_ABILITIES.project, { projectId: project.id }),
      };
    },

    /** The parsed current policy of a project, for the services of later issues. */
    async getPolicy(principal: Principal, slug: string): Promise<Policy> {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const row = await repo.findPolicyVersion(k, project.id, project.policy_version);
      if (!row) throw new NotFoundError(`Policy of ${label(slug)}`);
      return parsePolicy(row.source_yaml);
    },

    /**
     * Saves a new policy version. With `baseVersion`, refuses (409) when someone saved in between,
     * so that two editors never overwrite each other silently.
     */
    async updatePolicy(
      principal: Principal,
      slug: string,
      input: { yaml: string; baseVersion?: number | undefined },
    ) {
      const project = await loadAuthorized(principal, slug, 'project.policy.update');
      const parsed = parsePolicy(input.yaml);
      return k.transaction().execute(async (trx) => {
        const version = await repo.bumpPolicyVersion(trx, project.id, input.baseVersion, nowIso());
        if (version === undefined) {
          const current = await repo.findProjectBySlug(trx, slug);
          throw new ConflictError(
            `The policy of '${slug}' was changed by someone else (now version ${current?.policy_version ?? '?'}, you edited version ${input.baseVersion}). Reload and apply your change again.`,
          );
        }
        await repo.insertPolicyVersion(trx, {
          id: newId(),
          project_id: project.id,
          version,
          source_yaml: input.yaml,
          created_by: principal.kind === 'user' ? principal.userId : null,
          created_at: nowIso(),
        });
        await repo.setRequireTwoFactor(trx, project.id, parsed.access.requireTwoFactor);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'project.policy_updated',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { version },
        });
        return { version };
      });
    },

    /** A page of the policy's versions, newest first. */
    async listPolicyVersions(
      principal: Principal,
      slug: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const codec = await cursors();
      const filter = { projectId: project.id };
      const before = cursorKey(codec.decode('project.policy-versions', filter, page.cursor), ['number']);
      const { rows, nextCursor } = keysetPage(
        await repo.listPolicyVersions(k, project.id, before?.[0], page.limit + 1),
        page.limit,
        (last) => codec.encode('project.policy-versions', filter, [last.version]),
      );
      return {
        versions: rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: author(r) })),
        nextCursor,
      };
    },

    async getPolicyVersion(principal: Principal, slug: string, version: number) {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const row = await repo.findPolicyVersion(k, project.id, version);
      if (!row) throw new NotFoundError(`Version ${version} of the policy of '${slug}'`);
      return {
        version: row.version,
        yaml: row.source_yaml,
        createdAt: row.created_at,
        createdBy: author(row),
      };
    },

    /** Renders a policy document to SECURITY.md (Markdown and sanitised HTML), for the live preview. */
    previewPolicy(principal: Principal, yaml: string, slug = 'your-project') {
      authorize(principal, 'policy.preview');
      const markdown = renderFor(parsePolicy(yaml), slug);
      return { markdown, html: renderMarkdownSafe(markdown) };
    },

    /** The project's current SECURITY.md. */
    async renderSecurityMd(principal: Principal, slug: string): Promise<string> {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const row = await repo.findPolicyVersion(k, project.id, project.policy_version);
      if (!row) throw new NotFoundError(`Policy of ${label(slug)}`);
      return renderFor(parsePolicy(row.source_yaml), slug);
    },

    /**
     * Adds a person to the security team, or asks to (issue 11, item 2). Nobody joins a team that
     * has members without another current member's approval: the answer is then a pending request
     * (`status: 'pending'`), announced to the team. Direct additions: an admin seeding an empty
     * team; the team's only member adding someone else (nobody else could approve); and the
     * operator at the server's shell, who holds the database and its key anyway (audited and
     * announced like any other). Every change is announced to the team by mail.
     */
    async addMember(principal: Principal, slug: string, input: { email: string; role: ProjectRole }) {
      const project = await loadAuthorized(principal, slug, 'project.members.request');
      return k.transaction().execute(async (trx) => {
        await repo.lockProject(trx, project.id);
        const user = await accountsRepo.findUserByEmail(trx, input.email);
        if (!user) {
          throw new ValidationError(`No user has the email ${input.email}. Add the user first.`, [
            { path: 'email', message: 'no such user' },
          ]);
        }
        const person = { userId: user.id, email: user.email, name: user.name, role: input.role };
        if (await repo.isMember(trx, project.id, user.id, input.role)) {
          return { ...person, added: false, status: 'already-member' as const, requestId: null };
        }
        const members = await repo.countMembers(trx, project.id, input.role);
        const requester = principal.kind === 'user' ? principal.userId : null;
        const how = directAddition(principal, members, requester, user.id, project.id);
        const now = nowIso();
        if (how) {
          await joinTeam(trx, principal, project.id, { userId: user.id, role: input.role, how }, now);
          return { ...person, added: true, status: 'added' as const, requestId: null };
        }
        const pending = await repo.findPendingMemberRequest(trx, project.id, user.id, input.role);
        if (pending) return { ...person, added: false, status: 'pending' as const, requestId: pending.id };
        const requestId = newId();
        await repo.insertMemberRequest(trx, {
          id: requestId,
          project_id: project.id,
          user_id: user.id,
          role: input.role,
          requested_by_user_id: requester,
          state: 'pending',
          decided_by_user_id: null,
          decided_at: null,
          created_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'project.member_requested',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { requestId, userId: user.id, role: input.role },
        });
        await enqueueMembersMail(trx, clock, { projectId: project.id, notice: 'requested', ref: requestId });
        return { ...person, added: false, status: 'pending' as const, requestId };
      });
    },

    /**
     * Approves a pending request: a current member of the team who is neither the one who asked nor
     * the person to be added. Only then the role exists. Announced to the team (the newcomer too).
     */
    async approveMemberRequest(principal: Principal, slug: string, requestId: string) {
      const project = await loadAuthorized(principal, slug, 'project.members.approve');
      return k.transaction().execute(async (trx) => {
        const r = await pendingRequest(trx, project.id, slug, requestId);
        const approver = principal.kind === 'user' ? principal.userId : '';
        if (approver === r.requested_by_user_id) {
          throw new ConflictError('You asked for this addition: another member of the team must approve it.');
        }
        if (approver === r.user_id) {
          throw new ConflictError('Nobody approves their own joining: another member of the team must.');
        }
        // The principal was loaded when the request came in; the decision rests on the team as it is now.
        if (!(await repo.isMember(trx, project.id, approver, 'security-team'))) {
          throw new NotFoundError(`Request ${requestId} of '${slug}'`);
        }
        const now = nowIso();
        await repo.decideMemberRequest(trx, r.id, {
          state: 'approved',
          decided_by_user_id: approver,
          decided_at: now,
        });
        await joinTeam(
          trx,
          principal,
          project.id,
          { userId: r.user_id, role: r.role, how: 'approved', requestId: r.id },
          now,
        );
        return { requestId: r.id, userId: r.user_id, role: r.role, state: 'approved' as const };
      });
    },

    /** Declines a pending request (any current member); nobody is added. Announced to the team. */
    async declineMemberRequest(principal: Principal, slug: string, requestId: string) {
      const project = await loadAuthorized(principal, slug, 'project.members.approve');
      return k.transaction().execute(async (trx) => {
        const r = await pendingRequest(trx, project.id, slug, requestId);
        const now = nowIso();
        await repo.decideMemberRequest(trx, r.id, {
          state: 'declined',
          decided_by_user_id: principal.kind === 'user' ? principal.userId : '',
          decided_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'project.member_request_declined',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { requestId: r.id, userId: r.user_id, role: r.role },
        });
        await enqueueMembersMail(trx, clock, { projectId: project.id, notice: 'declined', ref: r.id });
        return { requestId: r.id, userId: r.user_id, role: r.role, state: 'declined' as const };
      });
    },

    /** Removes a member (an admin): immediate, audited, announced to the team and to the person removed. */
    async removeMember(principal: Principal, slug: string, userId: string, role: string): Promise<void> {
      const project = await loadAuthorized(principal, slug, 'project.members.manage');
      await k.transaction().execute(async (trx) => {
        await repo.lockProject(trx, project.id);
        if (!(await repo.deleteMember(trx, project.id, userId, role))) {
          throw new NotFoundError(`Member ${userId} (${role}) of '${slug}'`);
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'project.member_removed',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { userId, role },
        });
        await enqueueMembersMail(trx, clock, {
          projectId: project.id,
          notice: 'removed',
          ref: `${userId}:${nowIso()}`,
          alsoUserId: userId,
        });
      });
    },

    /** The security team's private notes (escalation contacts and the like), decrypted for the team only. */
    async getTeamNotes(principal: Principal, slug: string): Promise<string> {
      const project = await loadAuthorized(principal, slug, 'project.notes.read');
      const envelope = await repo.findTeamNotesEnvelope(k, project.id);
      return envelope ? deps.cipher.decryptField(envelope, notesAad(project.id)) : '';
    },

    async setTeamNotes(principal: Principal, slug: string, notes: string): Promise<void> {
      const project = await loadAuthorized(principal, slug, 'project.notes.update');
      if (notes.length > TEAM_NOTES_MAX) {
        throw new ValidationError('The notes are too long.', [
          { path: 'notes', message: `at most ${TEAM_NOTES_MAX} characters` },
        ]);
      }
      const envelope = notes === '' ? null : deps.cipher.encryptField(notes, notesAad(project.id));
      await k.transaction().execute(async (trx) => {
        await repo.updateTeamNotesEnvelope(trx, project.id, envelope, nowIso());
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'project.updated',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { fields: ['teamNotes'] },
        });
      });
    },
  };
}

/**
 * Whether an addition needs no approval, and why: the operator at the shell; an empty team being
 * seeded; the team's only member adding someone else (nobody else could approve). Otherwise undefined:
 * the addition is a request.
 */
function directAddition(
  principal: Principal,
  members: number,
  requester: string | null,
  personId: string,
  projectId: string,
): 'operator' | 'seeded' | 'sole-member' | undefined {
  if (principal.kind === 'operator') return 'operator';
  if (members === 0) return 'seeded';
  const soleMember =
    members === 1 &&
    requester !== null &&
    requester !== personId &&
    principal.kind === 'user' &&
    principal.projectRoles.get(projectId)?.has('security-team') === true;
  return soleMember ? 'sole-member' : undefined;
}

function summary(row: repo.ProjectRow) {
  return {
    slug: row.slug,
    name: row.name,
    policyVersion: row.policy_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
