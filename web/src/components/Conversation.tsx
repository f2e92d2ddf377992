import type { CaseMessage } from '../api/types.js';
import { authorLabel, flagLabel } from '../cases/words.js';
import { DateTime } from './DateTime.js';

interface ConversationProps {
  messages: CaseMessage[];
  /** Whose page this is: the team sees names and internal notes; the reporter sees "You". */
  viewer: 'team' | 'reporter';
}

/**
 * The conversation with the reporter, and on the team's side the internal notes among it, oldest
 * first. Every body is text from outside (a report is hostile input): rendered as text, never HTML.
 */
export function Conversation({ messages, viewer }: ConversationProps) {
  if (messages.length === 0) return <p className="empty">No messages yet.</p>;
  const sorted = [...messages].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
  return (
    <ol className="conversation" data-testid="conversation">
      {sorted.map((m) => {
        const internal = m.visibility === 'internal';
        const kind = internal
          ? 'internal'
          : m.automatic || m.author.type === 'system'
            ? 'system'
            : m.author.type;
        return (
          <li
            key={m.id}
            className={`message message-${kind}`}
            data-testid={internal ? 'internal-note' : 'message'}
          >
            <div className="message-head">
              <span className="message-author">{authorLabel(m, viewer)}</span>
              {internal ? (
                <span className="badge badge-internal">Internal note — the reporter never sees this</span>
              ) : null}
              {viewer === 'team' && !internal && m.author.type === 'team' ? (
                <span className="message-to">to the reporter</span>
              ) : null}
              {m.automatic ? <span className="badge">Automatic</span> : null}
              {m.channel === 'email' ? <span className="badge">by mail</span> : null}
              {m.flags.map((flag) => (
                <span key={flag} className="badge badge-warning">
                  {flagLabel(flag)}
                </span>
              ))}
              <span className="message-time">
                <DateTime value={m.createdAt} />
              </span>
            </div>
            <div className="message-body prewrap">{m.body}</div>
          </li>
        );
      })}
    </ol>
  );
}
