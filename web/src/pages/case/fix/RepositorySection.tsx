import { useState, type FormEvent } from 'react';
import * as fix from '../../../api/fix.js';
import type { CaseCi, CaseRepository, CiRun } from '../../../api/fix.js';
import type { CaseDetail, CaseState } from '../../../api/types.js';
import { CopyField } from '../../../components/CopyField.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Section } from '../../../components/Section.js';
import { Loading, Notice } from '../../../components/Status.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { Link } from '../../../router.js';
import { RunLog, RunSummary } from './CiStatus.js';
import { shortSha } from './fix-words.js';

/** From release on, each fix branch's patch series is offered for download. */
const RELEASE_STATES: readonly CaseState[] = ['disclosure-scheduled', 'published', 'closed'];

/**
 * The case's private fix repository (PROCESS.md §5, §6): its state, the clone URL (clone and push
 * with a personal API token), each branch with its head commit and the latest CI run of the
 * policy's test command, recent commits, the words no commit may carry, and after release each
 * branch's patch series.
 */
export function RepositorySection({
  c,
  onCaseChanged,
}: {
  c: CaseDetail;
  onCaseChanged: (notice: string) => void;
}) {
  // The case says whether it has a repository (a case accepted before Vigil had them has none).
  const exists = c.repository !== null;
  const repository = useResource(`case-repository:${c.id}:${c.state}:${exists}`, (signal) =>
    exists ? fix.getCaseRepository(c.id, signal) : Promise.resolve(null),
  );
  const ci = useResource(`case-ci:${c.id}:${c.state}`, (signal) => fix.getCaseCi(c.id, signal));
  const [notice, setNotice] = useState('');

  function refresh() {
    repository.reload();
    ci.reload();
  }

  let body;
  if (repository.data) {
    body = (
      <RepositoryBody
        c={c}
        repo={repository.data}
        ci={ci.data}
        onChanged={(message) => {
          setNotice(message);
          refresh();
        }}
      />
    );
  } else if (repository.data === null) {
    body = <NoRepository c={c} onCreated={onCaseChanged} />;
  } else {
    body = repository.error ? (
      <ProblemAlert error={repository.error} title="The repository could not be loaded" />
    ) : (
      <Loading what="Loading the repository" />
    );
  }

  return (
    <Section headingId="repository-heading" title="Fix repository" className="fix-part">
      <Notice>{notice}</Notice>
      {body}
      <ProblemAlert error={ci.error} title="The CI status could not be loaded" />
      <div className="actions">
        <button
          type="button"
          className="button-quiet"
          onClick={refresh}
          disabled={repository.loading || ci.loading}
        >
          Refresh the repository and CI
        </button>
      </div>
      {c.abilities['case.fix.manage'] && c.state !== 'published' && c.state !== 'closed' ? (
        <Watchwords c={c} />
      ) : null}
    </Section>
  );
}

/** A case without a repository: the team may create and seed it now. */
function NoRepository({ c, onCreated }: { c: CaseDetail; onCreated: (notice: string) => void }) {
  const seed = useAsyncAction();
  return (
    <>
      <p className="empty">This case has no fix repository yet.</p>
      <ProblemAlert error={seed.error} title={seed.error ? 'The repository was not created' : undefined} />
      {c.abilities['case.fix.manage'] ? (
        <div className="actions">
          <button
            type="button"
            disabled={seed.busy}
            onClick={() =>
              void seed.run(async () => {
                await fix.seedCaseRepository(c.id);
                onCreated(`The fix repository of ${c.humanId} is being created and seeded from upstream.`);
              })
            }
          >
            Create the repository
          </button>
        </div>
      ) : null}
    </>
  );
}

interface BodyProps {
  c: CaseDetail;
  repo: CaseRepository;
  ci: CaseCi | undefined;
  onChanged: (notice: string) => void;
}

function RepositoryBody({ c, repo, ci, onChanged }: BodyProps) {
  return (
    <div className="stack">
      <RepositoryState c={c} repo={repo} onChanged={onChanged} />
      {repo.state === 'ready' ? (
        <>
          <CopyField
            label="Clone URL"
            value={repo.cloneUrl}
            warning="Clone and push with a personal API token as the password (any user name)."
            tone="hint"
          />
          <p className="hint">
            Create a token on your <Link to="/account">account page</Link>, then:
          </p>
          <code className="clone-command" data-testid="clone-command">
            git clone {repo.cloneUrl}
          </code>
        </>
      ) : null}
      <h3>Branches</h3>
      <BranchTable c={c} repo={repo} ci={ci} />
      <h3>Recent commits</h3>
      {repo.recentCommits.length === 0 ? (
        <p className="empty">No commits yet.</p>
      ) : (
        <DataTable columns={['Commit', 'Subject', 'Author', 'When', 'Branches']} data-testid="recent-commits">
          {repo.recentCommits.map((commit) => (
            <tr key={commit.sha}>
              <td className="mono" title={commit.sha}>
                {shortSha(commit.sha)}
              </td>
              <td>{commit.subject}</td>
              <td>{commit.author}</td>
              <td className="nowrap">
                <DateTime value={commit.committedAt} />
              </td>
              <td className="mono">{commit.branches.join(', ')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

function RepositoryState({
  c,
  repo,
  onChanged,
}: {
  c: CaseDetail;
  repo: CaseRepository;
  onChanged: (n: string) => void;
}) {
  const seed = useAsyncAction();
  const upstream = repo.upstream ? <span className="mono">{repo.upstream}</span> : null;
  switch (repo.state) {
    case 'seeding':
      return (
        <p data-testid="repository-state" role="status">
          Being seeded{upstream ? <> from {upstream}</> : null}: the branch of every supported release line is
          copied. Refresh in a moment.
        </p>
      );
    case 'failed':
      return (
        <div className="alert alert-error" data-testid="repository-state">
          <p className="alert-title">
            The repository could not be seeded{upstream ? <> from {upstream}</> : null}.
          </p>
          {repo.error ? <p className="prewrap">{repo.error}</p> : null}
          <ProblemAlert error={seed.error} title={seed.error ? 'The seed was not started' : undefined} />
          {c.abilities['case.fix.manage'] ? (
            <div className="actions">
              <button
                type="button"
                disabled={seed.busy}
                onClick={() =>
                  void seed.run(async () => {
                    await fix.seedCaseRepository(c.id);
                    onChanged('Seeding the repository again.');
                  })
                }
              >
                Try seeding again
              </button>
            </div>
          ) : null}
        </div>
      );
    case 'read-only':
      return (
        <p data-testid="repository-state">
          Read-only since <DateTime value={repo.frozenAt} />: kept for the retrospective.
        </p>
      );
    default:
      return (
        <p data-testid="repository-state">
          Ready
          {repo.seededAt ? (
            <>
              , seeded <DateTime value={repo.seededAt} />
              {upstream ? <> from {upstream}</> : null}
            </>
          ) : (
            ', started empty (the policy names no upstream repository)'
          )}
          .
        </p>
      );
  }
}

function BranchTable({ c, repo, ci }: { c: CaseDetail; repo: CaseRepository; ci: CaseCi | undefined }) {
  const [shown, setShown] = useState<CiRun | null>(null);
  const runs = new Map((ci?.branches ?? []).map((b) => [b.branch, b.latest]));
  const patches = RELEASE_STATES.includes(c.state) || repo.state === 'read-only';
  if (repo.branches.length === 0) return <p className="empty">No branches yet.</p>;
  return (
    <>
      {ci ? (
        ci.testCommand ? (
          <p className="hint">
            Every push runs <code>{ci.testCommand}</code> on a runner; the CI column shows each branch’s
            latest run.
          </p>
        ) : (
          <p className="hint">
            The project’s policy names no test command (<code>fix.testCommand</code>): pushes run no tests.
          </p>
        )
      ) : null}
      <DataTable columns={['Branch', 'Head', 'Ahead', 'CI']} actions data-testid="branches">
        {repo.branches.map((b) => {
          const run = runs.get(b.name) ?? null;
          return (
            <tr key={b.name}>
              <td className="mono">{b.name}</td>
              <td>
                <span className="mono" title={b.head.sha}>
                  {shortSha(b.head.sha)}
                </span>{' '}
                {b.head.subject}
                <br />
                <span className="meta">
                  {b.head.author}, <DateTime value={b.head.committedAt} />
                </span>
              </td>
              <td className="num">{b.commitsAhead}</td>
              <td>{ci ? <RunSummary run={run} /> : null}</td>
              <td className="row-actions">
                {run ? (
                  <button
                    type="button"
                    className="button-small"
                    aria-pressed={shown?.id === run.id}
                    onClick={() => setShown(shown?.id === run.id ? null : run)}
                  >
                    Log<span className="visually-hidden"> of {b.name}</span>
                  </button>
                ) : null}
                {patches && b.commitsAhead > 0 ? (
                  <a href={fix.patchesUrl(c.id, b.name)} download>
                    Patches<span className="visually-hidden"> of {b.name}</span>
                  </a>
                ) : null}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {shown ? <RunLog caseId={c.id} run={shown} /> : null}
    </>
  );
}

/** The team's own words (beyond the case, advisory and CVE ids) that no commit, branch or tag may carry. */
function Watchwords({ c }: { c: CaseDetail }) {
  const words = useResource(`watchwords:${c.id}`, (signal) => fix.getWatchwords(c.id, signal));
  // Kept here: the form below starts afresh from each saved list.
  const [notice, setNotice] = useState('');
  if (!words.data) {
    return words.error ? (
      <ProblemAlert error={words.error} title="The watch words could not be loaded" />
    ) : (
      <Loading what="Loading the watch words" />
    );
  }
  return (
    <WatchwordsForm
      key={words.data.words.join('\n')}
      c={c}
      words={words.data.words}
      notice={notice}
      onSaved={(message) => {
        setNotice(message);
        words.reload();
      }}
    />
  );
}

interface WatchwordsFormProps {
  c: CaseDetail;
  words: string[];
  notice: string;
  onSaved: (notice: string) => void;
}

function WatchwordsForm({ c, words, notice, onSaved }: WatchwordsFormProps) {
  const [text, setText] = useState(words.join('\n'));
  const { busy, error, run } = useAsyncAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const list = [
      ...new Set(
        text
          .split('\n')
          .map((w) => w.trim())
          .filter((w) => w !== ''),
      ),
    ];
    void run(async () => {
      const saved = await fix.setWatchwords(c.id, list);
      onSaved(`${saved.words.length} ${saved.words.length === 1 ? 'word' : 'words'} saved.`);
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Words no commit may carry">
      <h3>Words no commit may carry</h3>
      <ProblemAlert error={error} title={error ? 'The words were not saved' : undefined} />
      <Notice>{notice}</Notice>
      <TextAreaField
        label="Watch words, one a line"
        hint="Besides the case id, the advisory id and the CVE id: a push whose commit message, branch or tag names one of them is refused (ignoring case). E.g. the function or the attack’s name."
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the words'}
        </button>
      </div>
    </form>
  );
}
