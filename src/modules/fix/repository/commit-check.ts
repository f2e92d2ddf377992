/**
 * Commits that give nothing away (PROCESS.md §5): before disclosure no commit message, branch or
 * tag name may name the case's CVE id, its advisory id, its own id, or a word the team listed.
 * Pure: the words of a case, and the check of texts against them. The server runs the same rule
 * in the repository's pre-receive hook (git-hooks.ts), `vigil check-commits` runs it here.
 */

/** Bounds on the team's own words (`PUT /api/v1/cases/:id/watchwords`). */
export const WATCHWORDS_MAX = 50;
export const WATCHWORD_MIN_LENGTH = 2;
export const WATCHWORD_MAX_LENGTH = 100;

/** What names a case: its ids, and the team's words. */
export interface CaseWords {
  humanId: string;
  advisoryId: string | null;
  cveId: string | null;
  watchwords: readonly string[];
}

/** Lower case for matching: ASCII letters only, exactly as the hook's awk `tolower` folds them. */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/**
 * The forbidden words of a case: its ids first, then the team's words; each once (ignoring case),
 * none empty. The order is the order a refusal names them in.
 */
export function forbiddenWords(c: CaseWords): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of [c.humanId, c.advisoryId, c.cveId, ...c.watchwords]) {
    const word = w?.trim();
    if (!word || seen.has(foldCase(word))) continue;
    seen.add(foldCase(word));
    out.push(word);
  }
  return out;
}

/** Normalises the team's list: trimmed, each once (ignoring case), in the order given. */
export function normaliseWatchwords(words: readonly string[]): string[] {
  return forbiddenWords({ humanId: '', advisoryId: null, cveId: null, watchwords: words });
}

/** The first forbidden word `text` contains, ignoring case; undefined when it names none. */
export function findForbiddenWord(text: string, words: readonly string[]): string | undefined {
  const folded = foldCase(text);
  return words.find((w) => w.length > 0 && folded.includes(foldCase(w)));
}

/** A commit of a range to check: its id and full message. */
export interface CommitToCheck {
  sha: string;
  message: string;
}

/** One refusal: a commit message, or a branch or tag name, that names a forbidden word. */
export type Leak = { kind: 'commit'; sha: string; word: string } | { kind: 'ref'; ref: string; word: string };

/** Every leak among `refs` (branch and tag names) and `commits`, in that order. */
export function findLeaks(
  words: readonly string[],
  input: { refs?: readonly string[]; commits?: readonly CommitToCheck[] },
): Leak[] {
  const leaks: Leak[] = [];
  for (const ref of input.refs ?? []) {
    const word = findForbiddenWord(ref, words);
    if (word) leaks.push({ kind: 'ref', ref, word });
  }
  for (const commit of input.commits ?? []) {
    const word = findForbiddenWord(commit.message, words);
    if (word) leaks.push({ kind: 'commit', sha: commit.sha, word });
  }
  return leaks;
}

/** A leak as a sentence that names the commit (short id) or the ref, and the word. */
export function describeLeak(leak: Leak): string {
  return leak.kind === 'commit'
    ? `commit ${leak.sha.slice(0, 12)}: its message names "${leak.word}"`
    : `${leak.ref}: the name contains "${leak.word}"`;
}

/** True for a word the team may list: 2 to 100 characters on one line, no control character. */
export function isValidWatchword(word: string): boolean {
  const w = word.trim();
  const oneLine = [...w].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f);
  return w.length >= WATCHWORD_MIN_LENGTH && w.length <= WATCHWORD_MAX_LENGTH && oneLine;
}
