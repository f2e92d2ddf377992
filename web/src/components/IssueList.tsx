import type { Issue } from '../api/types.js';

/** "line N, path: message" for one issue; the parts the server did not give are left out. */
export function describeIssue(issue: Issue): string {
  const where = [issue.line !== undefined ? `line ${issue.line}` : null, issue.path || null]
    .filter((part) => part !== null)
    .join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * A list of field issues. With `onSelect`, each issue that names a line is a button that takes
 * the user there (the policy editor uses it to jump to the offending line).
 */
export function IssueList({ issues, onSelect }: { issues: Issue[]; onSelect?: (issue: Issue) => void }) {
  // In document order; issues without a line (about the document as a whole) last.
  const sorted = [...issues].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return (
    <ul className="issues">
      {sorted.map((issue, i) => (
        <li key={`${i}:${issue.path}:${issue.line ?? ''}`}>
          {onSelect && issue.line !== undefined ? (
            <button type="button" className="link-button" onClick={() => onSelect(issue)}>
              {describeIssue(issue)}
            </button>
          ) : (
            describeIssue(issue)
          )}
        </li>
      ))}
    </ul>
  );
}
