/**
 * A case's conversation and internal notes as a list of its own, oldest first, a page at a time
 * (the case page embeds the whole conversation; this is the list that stays usable when a flood
 * or a long embargo makes it long). The security team only, recorded in the access log.
 */
import { loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../../lib/list-page.js';
import { recordCaseRead } from '../../access/access-log.js';
import { caseCrypto, messageView, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';

export interface ConversationDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(deps: ConversationDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const cursors = lazyCursorCodec(deps);
  return {
    /** One page of the case's messages, oldest first; `cursor` is the `nextCursor` of the page before. */
    async listMessages(
      principal: Principal,
      ref: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const c = await loadCaseFor(k, principal, ref, 'case.read');
      const codec = await cursors();
      const filter = { caseId: c.id };
      const after = cursorKey(codec.decode('case.messages', filter, page.cursor), ['string', 'string']);
      await recordCaseRead(db, clock, principal, c, 'case');
      const { rows, nextCursor } = keysetPage(
        await repo.listMessagesPage(k, c.id, after, page.limit + 1),
        page.limit,
        (last) => codec.encode('case.messages', filter, [last.created_at, last.id]),
      );
      return { messages: rows.map((m) => messageView(crypto, m)), nextCursor };
    },
  };
}
