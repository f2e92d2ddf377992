/**
 * API tokens: created for oneself (or by the operator for anyone), listed, revoked, and resolved
 * from a `Bearer` header. A token is shown once and stored only as its hash and a short prefix.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import { actorOf } from '../../authz/access.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError, UnauthenticatedError } from '../../lib/errors.js';
import { hashSecret, newId, newSecret, secretPrefix } from '../../lib/ids.js';
import * as repo from './accounts.repo.js';
import { loadPrincipal, LAST_USE_WRITE_EVERY_MS } from './user-view.js';

export interface ApiTokensDeps {
  db: Db;
  clock: Clock;
}

const DAY = 24 * 3_600_000;

export type ApiTokensService = ReturnType<typeof createApiTokensService>;

/** Builds the API tokens service. */
export function createApiTokensService(deps: ApiTokensDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const nowIso = () => clock.now().toISOString();

  return {
    /** Creates an API token for `userId` (oneself, or anyone for the operator); shown once. */
    async createApiToken(
      principal: Principal,
      input: { userId: string; name: string; expiresInDays: number },
    ) {
      if (principal.kind === 'user' && principal.userId === input.userId) authorize(principal, 'self.manage');
      else authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, input.userId);
        if (!user || user.disabled_at) throw new NotFoundError(`User ${input.userId}`);
        const token = newSecret('vgl');
        const id = newId();
        const createdAt = nowIso();
        const expiresAt = new Date(clock.now().getTime() + input.expiresInDays * DAY).toISOString();
        const prefix = secretPrefix(token);
        await repo.insertApiToken(trx, {
          id,
          user_id: user.id,
          name: input.name,
          token_hash: hashSecret(token),
          token_prefix: prefix,
          created_at: createdAt,
          expires_at: expiresAt,
          // The token is as strong as the session that made it; the operator's count as one factor.
          factors: principal.kind === 'user' ? principal.factors : 1,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'token.created',
          subject: { type: 'api_token', id },
          data: { tokenId: id, name: input.name, expiresAt },
        });
        return { token, id, name: input.name, prefix, createdAt, expiresAt };
      });
    },

    /** The caller's own tokens, revoked ones included; never the secret. */
    async listApiTokens(principal: Principal) {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const rows = await repo.listApiTokens(k, principal.userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.token_prefix,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }));
    },

    /** Revokes one of the caller's tokens; revoking a revoked token does nothing. */
    async revokeApiToken(principal: Principal, tokenId: string): Promise<void> {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      await k.transaction().execute(async (trx) => {
        const row = await repo.findApiToken(trx, principal.userId, tokenId);
        if (!row) throw new NotFoundError(`API token ${tokenId}`);
        if (row.revoked_at) return;
        await repo.updateApiToken(trx, tokenId, { revoked_at: nowIso() });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'token.revoked',
          subject: { type: 'api_token', id: tokenId },
          data: { tokenId },
        });
      });
    },

    /** Resolves a bearer API token; revoked, expired or disabled-owner tokens resolve to nothing. */
    async resolveApiToken(token: string): Promise<Principal | undefined> {
      const row = await repo.findApiTokenByHash(k, hashSecret(token));
      if (!row || row.revoked_at) return undefined;
      const now = clock.now();
      if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return undefined;
      const principal = await loadPrincipal(k, row.user_id, { factors: row.factors });
      if (!principal) return undefined;
      if (!row.last_used_at || Date.parse(row.last_used_at) + LAST_USE_WRITE_EVERY_MS <= now.getTime()) {
        await repo.updateApiToken(k, row.id, { last_used_at: now.toISOString() });
      }
      return principal;
    },
  };
}
