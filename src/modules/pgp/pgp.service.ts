/**
 * Project OpenPGP keys: each project has one active key pair (generated, or imported), published at
 * `/p/<slug>/pgp-key.asc`; retired keys are kept so that mail encrypted to them still decrypts. The
 * private key is stored only encrypted at rest (`project_keys.private_key_enc`). See README.md.
 */
import type * as openpgp from 'openpgp';
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Actor } from '../../audit/audit.events.js';
import type { Action, Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { actorOf, loadProjectFor, projectLabel } from '../../authz/access.js';
import { parsePolicy } from '../policy/policy.parser.js';
import { generateKeyMaterial, readImportedKey, readStoredKey, type KeyMaterial } from './openpgp-keys.js';
import * as repo from './pgp.repo.js';
import { findProjectById, findProjectBySlug } from '../projects/projects.repo.js';

export interface PgpDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
}

/** A key as the API shows it: never the private half. */
export interface ProjectKeyInfo {
  fingerprint: string;
  userId: string;
  algorithm: string;
  createdAt: string;
  expiresAt: string | null;
  /** Where the public key is published. */
  publicKeyUrl: string;
}

export interface ProjectKeyDetail extends ProjectKeyInfo {
  /** Retired keys, newest first: mail encrypted to them still decrypts. */
  previous: { fingerprint: string; createdAt: string; retiredAt: string }[];
}

/** Audit actor for keys Vigil creates on its own (a project's first key). */
const SYSTEM_ACTOR: Actor = { type: 'system', id: 'pgp' };
/** Concurrent rotations of one project collide on the active-key index; each retries this often. */
const MAX_ATTEMPTS = 3;

export type PgpService = ReturnType<typeof createPgpService>;

/** The project-keys service. */
export function createPgpService(deps: PgpDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const label = projectLabel;
  const keyAad = (id: string) => fieldAad('project_keys', 'private_key_enc', id);
  const publicKeyUrl = (slug: string) => `${deps.publicUrl}/p/${slug}/pgp-key.asc`;

  const loadAuthorized = (principal: Principal, slug: string, action: Action) =>
    loadProjectFor(k, principal, slug, action);

  /** The user ID a generated key carries: "<Project> Security Team <team address>". */
  async function userIdFor(project: repo.KeyProjectRow): Promise<{ name: string; email: string }> {
    const yaml = await repo.findPolicyYaml(k, project.id, project.policy_version);
    let email: string | null = null;
    try {
      email = yaml === undefined ? null : parsePolicy(yaml).contacts.securityTeam.email;
    } catch {
      // A stored policy always parsed when it was saved; should the schema have moved since,
      // the key still gets the placeholder address rather than failing.
    }
    return { name: `${project.name} Security Team`, email: email ?? `security@${project.slug}.invalid` };
  }

  /** A new row for `material`, its private key encrypted at rest under the row's own id. */
  function newRow(projectId: string, material: KeyMaterial): repo.ProjectKeyRow {
    const id = newId();
    return {
      id,
      project_id: projectId,
      fingerprint: material.fingerprint,
      user_id_text: material.userId,
      algorithm: material.algorithm,
      public_key_armored: material.publicKeyArmored,
      private_key_enc: cipher.encryptField(material.privateKeyArmored, keyAad(id)),
      created_at: clock.now().toISOString(),
      expires_at: material.expiresAt?.toISOString() ?? null,
      retired_at: null,
    };
  }

  function info(slug: string, row: repo.ProjectKeyPublicRow): ProjectKeyInfo {
    return {
      fingerprint: row.fingerprint,
      userId: row.user_id_text,
      algorithm: row.algorithm,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      publicKeyUrl: publicKeyUrl(slug),
    };
  }

  /**
   * Stores `material` as the project's active key, retiring the current one, with its audit
   * events, in one transaction. Concurrent changes queue on the project row; should one still
   * collide on the one-active-key index, it retries (the later request wins, as in sequence).
   */
  async function install(
    project: repo.KeyProjectRow,
    material: KeyMaterial,
    actor: Actor,
    how: 'generated' | 'imported',
  ): Promise<repo.ProjectKeyPublicRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await k.transaction().execute(async (trx) => {
          await repo.lockProject(trx, project.id);
          const row = newRow(project.id, material);
          const retired = await repo.retireActiveKey(trx, project.id, row.created_at);
          await repo.insertKey(trx, row);
          const subject = { type: 'project', id: project.id };
          if (retired) {
            await appendAuditEvent(trx, clock, {
              actor,
              action: 'project.key_retired',
              subject,
              projectId: project.id,
              data: { keyId: retired.id, fingerprint: retired.fingerprint, replacedBy: row.id },
            });
          }
          const data = { keyId: row.id, fingerprint: row.fingerprint, algorithm: row.algorithm };
          await appendAuditEvent(
            trx,
            clock,
            how === 'imported'
              ? { actor, action: 'project.key_imported', subject, projectId: project.id, data }
              : {
                  actor,
                  action: 'project.key_generated',
                  subject,
                  projectId: project.id,
                  data: { ...data, automatic: false },
                },
          );
          return withoutSecret(row);
        });
      } catch (err) {
        if (!repo.isUniqueViolation(err)) throw err;
        if (attempt >= MAX_ATTEMPTS) {
          throw new ConflictError(
            `The key of ${label(project.slug)} is being changed by someone else right now. Try again.`,
          );
        }
      }
    }
  }

  /** Generates a key for a project that has none; idempotent. Returns the active key. */
  async function ensureKey(project: repo.KeyProjectRow): Promise<repo.ProjectKeyPublicRow> {
    const existing = await repo.findActiveKey(k, project.id);
    if (existing) return existing;
    // Generated outside the transaction: nothing slow between BEGIN and COMMIT.
    const material = await generateKeyMaterial(await userIdFor(project));
    try {
      return await k.transaction().execute(async (trx) => {
        await repo.lockProject(trx, project.id);
        const current = await repo.findActiveKey(trx, project.id);
        if (current) return current;
        const row = newRow(project.id, material);
        await repo.insertKey(trx, row);
        await appendAuditEvent(trx, clock, {
          actor: SYSTEM_ACTOR,
          action: 'project.key_generated',
          subject: { type: 'project', id: project.id },
          projectId: project.id,
          data: { keyId: row.id, fingerprint: row.fingerprint, algorithm: row.algorithm, automatic: true },
        });
        return withoutSecret(row);
      });
    } catch (err) {
      // Another request generated the first key meanwhile: theirs is the project's key.
      const winner = repo.isUniqueViolation(err) ? await repo.findActiveKey(k, project.id) : undefined;
      if (winner) return winner;
      throw err;
    }
  }

  return {
    /** The URL where a project's public key is published. */
    publicKeyUrl,

    /**
     * Makes sure the project has an active key, generating one (audited as the system) if not.
     * Idempotent and safe to race; call it after the project's creating transaction commits.
     */
    async ensureProjectKey(projectId: string): Promise<ProjectKeyInfo> {
      const project = await findProjectById(k, projectId);
      if (!project) throw new NotFoundError(`Project ${projectId}`);
      return info(project.slug, await ensureKey(project));
    },

    /** Generates a new key pair for the project; an existing key is retired (it still decrypts). */
    async generateProjectKey(principal: Principal, slug: string): Promise<ProjectKeyInfo> {
      const project = await loadAuthorized(principal, slug, 'project.keys.manage');
      const material = await generateKeyMaterial(await userIdFor(project));
      return info(slug, await install(project, material, actorOf(principal), 'generated'));
    },

    /**
     * Imports an armored private key (unlocked with `passphrase` when protected) as the project's
     * key; it is stored without its passphrase, encrypted at rest. The current key is retired.
     */
    async importProjectKey(
      principal: Principal,
      slug: string,
      armoredPrivateKey: string,
      passphrase?: string,
    ): Promise<ProjectKeyInfo> {
      const project = await loadAuthorized(principal, slug, 'project.keys.manage');
      const material = await readImportedKey(armoredPrivateKey, passphrase);
      return info(slug, await install(project, material, actorOf(principal), 'imported'));
    },

    /** The project's key as the team sees it (never the private half), creating it when missing. */
    async getProjectKey(principal: Principal, slug: string): Promise<ProjectKeyDetail> {
      const project = await loadAuthorized(principal, slug, 'project.read');
      const active = await ensureKey(project);
      const previous = (await repo.listKeys(k, project.id))
        .filter((r) => r.retired_at !== null)
        .map((r) => ({ fingerprint: r.fingerprint, createdAt: r.created_at, retiredAt: r.retired_at ?? '' }));
      return { ...info(slug, active), previous };
    },

    /** The public key for publication: no authentication. Creates the project's key when missing. */
    async getPublicKey(slug: string): Promise<{ armored: string; fingerprint: string }> {
      const project = await findProjectBySlug(k, slug);
      if (!project) throw new NotFoundError(label(slug));
      const key = await ensureKey(project);
      return { armored: key.public_key_armored, fingerprint: key.fingerprint };
    },

    /**
     * Every private key of the project, unlocked, for decrypting inbound mail: the active key first,
     * then retired ones, so that mail encrypted to an old published key still decrypts.
     */
    async decryptingKeys(projectId: string): Promise<openpgp.PrivateKey[]> {
      const rows = await repo.listPrivateKeyEnvelopes(k, projectId);
      return Promise.all(
        rows.map((r) => readStoredKey(cipher.decryptField(r.private_key_enc, keyAad(r.id)))),
      );
    },
  };
}

function withoutSecret(row: repo.ProjectKeyRow): repo.ProjectKeyPublicRow {
  const { private_key_enc: _secret, ...rest } = row;
  return rest;
}
