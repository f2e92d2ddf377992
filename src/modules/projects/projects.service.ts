/**
 * Projects: creation from a preset or a policy document, the versioned policy (every save is a
 * new version, audited), the security team, and the team's private notes (encrypted at rest).
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { UI_ABILITIES, abilities, authorize, type Action, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
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
import * as repo from './projects.repo.js';

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
  const notesAad = (projectId: string) => fieldAad('projects', 'team_notes_enc', projectId);

  const loadAuthorized = (principal: Principal, slug: string, action: Action) =>
    loadProjectFor(k, principal, slug, action);

  function author(row: { author_id: string | null; author_name: string | null }) {
    return row.author_id ? { id: row.author_id, name: row.author_name ?? '' } : null;
  }

  function renderFor(policy: Policy, slug: string): string {
    return renderSecurityMd(policy, {
      reportUrl: `${deps.publicUrl}/p/${slug}/report`,
      securityTxtUrl: `${deps.publicUrl}/p/${slug}/security.txt`,
    });
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
      const [policy, members] = await Promise.all([
        repo.findPolicyVersion(k, project.id, project.policy_version),
        repo.listMembers(k, project.id),
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
        members: members.map((m) => ({ userId: m.user_id, email: m.email, name: m.name, role: m.role })),
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

    async listPolicyVersions(principal: Principal, slug: string) {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const rows = await repo.listPolicyVersions(k, project.id);
      return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: author(r) }));
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

    async addMember(principal: Principal, slug: string, input: { email: string; role: 'security-team' }) {
      const project = await loadAuthorized(principal, slug, 'project.members.manage');
      return k.transaction().execute(async (trx) => {
        const user = await accountsRepo.findUserByEmail(trx, input.email);
        if (!user) {
          throw new ValidationError(`No user has the email ${input.email}. Add the user first.`, [
            { path: 'email', message: 'no such user' },
          ]);
        }
        const added = await repo.insertMember(trx, {
          project_id: project.id,
          user_id: user.id,
          role: input.role,
          created_at: nowIso(),
        });
        if (added) {
          await appendAuditEvent(trx, clock, {
            actor: actorOf(principal),
            action: 'project.member_added',
            subject: { type: 'project', id: project.id },
            projectId: project.id,
            data: { userId: user.id, role: input.role },
          });
        }
        return { userId: user.id, email: user.email, name: user.name, role: input.role, added };
      });
    },

    async removeMember(principal: Principal, slug: string, userId: string, role: string): Promise<void> {
      const project = await loadAuthorized(principal, slug, 'project.members.manage');
      await k.transaction().execute(async (trx) => {
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

function summary(row: repo.ProjectRow) {
  return {
    slug: row.slug,
    name: row.name,
    policyVersion: row.policy_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
