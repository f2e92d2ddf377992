/** The words the UI uses for a case's states, rejection categories and message authors. */
import type { CaseMessage, CaseState } from '../api/types.js';

const STATE_LABELS: Record<CaseState, string> = {
  received: 'Received',
  triage: 'In triage',
  'needs-info': 'Needs information',
  accepted: 'Accepted',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
  'not-security': 'Not security',
  fixing: 'Fixing',
  'fix-ready': 'Fix ready',
  'disclosure-scheduled': 'Disclosure scheduled',
  published: 'Published',
  closed: 'Closed',
};

/** A state as the team reads it. */
export function stateLabel(state: CaseState): string {
  return STATE_LABELS[state];
}

const CATEGORY_LABELS: Record<string, string> = {
  'not-a-vulnerability': 'Not a vulnerability',
  'lack-of-safe-defaults': 'Lack of safe defaults (the project is not secure by default)',
  'only-unsupported-versions': 'Only unsupported versions are affected',
  'ordinary-resource-use': 'Ordinary resource use (to be fixed in the open)',
  'out-of-scope': 'Out of scope',
};

/** A rejection category in words; one the UI does not know is shown as the policy names it. */
export function rejectionCategoryLabel(category: string): string {
  return CATEGORY_LABELS[category] ?? category;
}

/** Who wrote a message, from the team's side (`viewer: 'team'`) or the reporter's. */
export function authorLabel(message: CaseMessage, viewer: 'team' | 'reporter'): string {
  switch (message.author.type) {
    case 'reporter':
      return viewer === 'reporter' ? 'You' : 'Reporter';
    case 'team':
      return message.author.name ?? 'Security team';
    case 'system':
      return 'Vigil';
    default:
      return message.author.name ?? 'Someone else (by mail)';
  }
}

/** Attachment and message flags in words. */
export function flagLabel(flag: string): string {
  const known: Record<string, string> = {
    'unknown-type': 'unknown type',
    'active-content': 'active content (runs or renders when opened: executable, HTML, SVG)',
    undecryptable: 'could not be decrypted',
    'partly-encrypted': 'only partly encrypted',
    'malformed-mime': 'malformed message',
    'unknown-charset': 'unknown character set',
    'html-only': 'HTML-only mail',
    'text-truncated': 'text truncated',
    'unknown-attachment-type': 'has an attachment of unknown type',
  };
  return known[flag] ?? flag.replace(/-/g, ' ');
}
