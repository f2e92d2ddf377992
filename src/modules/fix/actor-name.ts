/** How the fix phase's records name who decided: stored as a user id or `operator:<name>`, shown as a name. */
import type { Principal } from '../../authz/authz.policy.js';
import type { DbReader } from '../../db/connection.js';
import * as accountsRepo from '../accounts/accounts.repo.js';

/** What is stored for `principal`: a user's id, or `operator:<name>`. */
export function storedActor(principal: Principal): string {
  if (principal.kind === 'user') return principal.userId;
  if (principal.kind === 'operator') return `operator:${principal.name}`;
  return principal.kind;
}

/** The name to show for a stored actor: the user's name, `operator <name>`, or the value as stored. */
export async function actorName(db: DbReader, stored: string | null): Promise<string> {
  if (!stored) return 'unknown';
  if (stored.startsWith('operator:')) return `operator ${stored.slice('operator:'.length)}`;
  return (await accountsRepo.findUserById(db, stored))?.name ?? stored;
}
