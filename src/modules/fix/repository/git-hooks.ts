/**
 * The hooks of every fix repository. Vigil's HTTP bridge runs `git http-backend` with three files
 * of a per-push temporary directory in its environment, which reaches receive-pack and its hooks:
 * - VIGIL_WORDS_FILE: the case's forbidden words, one a line (commit-check.ts);
 * - VIGIL_REFUSALS_FILE: where pre-receive writes what it refused: `ref\tREF` for a name that
 *   names a word, `commit\tREF\tSHA` for a commit (or annotated tag) whose message does;
 * - VIGIL_PUSHED_FILE: where post-receive writes the updated refs (`OLD NEW REF`);
 * - VIGIL_KEEP_HISTORY: `1` once the fix is prepared in a project whose policy says its commits are
 *   not rewritten (PROCESS.md §5: their SHAs are referenced): a push that rewrites or deletes a
 *   branch or tag is refused (`history\tREF` in the refusals file).
 * pre-receive refuses the whole push when a new ref name, a new commit's message or a new annotated
 * tag's message names a word (ASCII letters folded, as `foldCase` does); git keeps the pushed
 * objects in quarantine until it accepts, so a refused push stores nothing. A push that does not
 * come through Vigil (no words file) is refused too.
 */

/** The pre-receive hook: POSIX sh, git, awk. */
export const PRE_RECEIVE_HOOK = `#!/bin/sh
# Installed by Vigil. Refuses a push whose branch or tag names, commit messages or tag messages
# name the case (its ids, its CVE id, the team's words): PROCESS.md section 5.
if [ -z "$VIGIL_WORDS_FILE" ] || [ ! -r "$VIGIL_WORDS_FILE" ]; then
  echo "Vigil: pushes to this repository go through Vigil's git URL." >&2
  exit 1
fi
refusals=\${VIGIL_REFUSALS_FILE:-/dev/null}

# Reads texts on stdin, records separated by \\001, each "ID\\nTEXT"; prints "ID WORD" for the
# first forbidden word each names.
scan() {
  awk -v words="$VIGIL_WORDS_FILE" '
    BEGIN {
      n = 0
      while ((getline w < words) > 0) if (w != "") { n++; word[n] = w; low[n] = tolower(w) }
      RS = "\\001"
    }
    {
      p = index($0, "\\n"); if (p == 0) next
      id = substr($0, 1, p - 1); text = tolower(substr($0, p + 1))
      for (i = 1; i <= n; i++) if (index(text, low[i]) > 0) { print id " " word[i]; break }
    }'
}

status=0
while read -r old new ref; do
  # A name that names the case is refused as such first, so no other refusal records it.
  hit=$(printf '\\001%s\\n%s' "$ref" "$ref" | scan)
  if [ -n "$hit" ]; then
    echo "Vigil: refused $ref: the name contains \\"\${hit#* }\\", which gives the case away." >&2
    printf 'ref\\t%s\\n' "$ref" >> "$refusals"
    status=1
    continue
  fi
  if [ "$VIGIL_KEEP_HISTORY" = 1 ]; then
    case "$old" in *[!0]*)
      kept=yes
      case "$new" in
        *[!0]*) git merge-base --is-ancestor "$old" "$new" 2>/dev/null || kept=no ;;
        *) kept=no ;;
      esac
      if [ "$kept" = no ]; then
        echo "Vigil: refused $ref: the fix is prepared and its commits are referenced, so they are not" >&2
        echo "Vigil: rewritten or deleted. Push new commits on top instead." >&2
        printf 'history\t%s\n' "$ref" >> "$refusals"
        status=1
        continue
      fi
      ;;
    esac
  fi
  case "$new" in *[!0]*) ;; *) continue ;; esac
  if [ "$(git cat-file -t "$new")" = tag ]; then
    hit=$( (printf '\\001%s\\n' "$new"; git cat-file tag "$new" | sed '1,/^$/d') | scan)
    if [ -n "$hit" ]; then
      echo "Vigil: refused $ref: the tag message names \\"\${hit#* }\\"." >&2
      printf 'commit\\t%s\\t%s\\n' "$ref" "$new" >> "$refusals"
      status=1
    fi
  fi
  hits=$(git log --no-color --format='%x01%H%n%B' "$new" --not --all -- | scan)
  if [ -n "$hits" ]; then
    printf '%s\\n' "$hits" | while read -r sha word; do
      short=$(printf '%.12s' "$sha")
      echo "Vigil: refused $ref: commit $short names \\"$word\\" in its message." >&2
      printf 'commit\\t%s\\t%s\\n' "$ref" "$sha" >> "$refusals"
    done
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "Vigil: nothing was stored. Reword the commits (git commit --amend, git rebase -i) and rename" >&2
  echo "Vigil: the branches so that nothing names the case, then push again." >&2
fi
exit $status
`;

/** The post-receive hook: hands the updated refs to the bridge. */
export const POST_RECEIVE_HOOK = `#!/bin/sh
# Installed by Vigil: tells Vigil's HTTP bridge which refs this push updated.
if [ -n "$VIGIL_PUSHED_FILE" ]; then cat >> "$VIGIL_PUSHED_FILE"; else cat > /dev/null; fi
exit 0
`;

/** One line of the refusals file. */
export type Refusal =
  | { kind: 'ref'; ref: string }
  | { kind: 'history'; ref: string }
  | { kind: 'commit'; ref: string; sha: string };

/** Parses the refusals file the pre-receive hook wrote. */
export function parseRefusals(text: string): Refusal[] {
  const out: Refusal[] = [];
  for (const line of text.split('\n')) {
    const [kind, ref, sha] = line.split('\t');
    if ((kind === 'ref' || kind === 'history') && ref) out.push({ kind, ref });
    else if (kind === 'commit' && ref && sha) out.push({ kind, ref, sha });
  }
  return out;
}

/** One updated ref, as post-receive wrote it. */
export interface RefUpdate {
  old: string;
  new: string;
  ref: string;
}

/** Parses the pushed file the post-receive hook wrote. */
export function parseRefUpdates(text: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) (refs\/\S+)$/.exec(line.trim());
    if (m?.[1] && m[2] && m[3]) out.push({ old: m[1], new: m[2], ref: m[3] });
  }
  return out;
}

/** True for an all-zero object id: a ref created (old) or deleted (new). */
export const isZeroId = (id: string): boolean => /^0+$/.test(id);
