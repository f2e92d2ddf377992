import { useState, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import type { ReporterView } from '../../api/types.js';
import { readAttachments } from '../../cases/files.js';
import { creditDraft, creditFromDraft, type CreditDraft } from '../../cases/report-draft.js';
import { AttachmentList } from '../../components/AttachmentList.js';
import { AttachmentPicker } from '../../components/AttachmentPicker.js';
import { Conversation } from '../../components/Conversation.js';
import { CreditFields } from '../../components/CreditFields.js';
import { DateTime } from '../../components/DateTime.js';
import { CheckboxField, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { ReportFields } from '../../components/ReportFields.js';
import { Section } from '../../components/Section.js';
import { Loading, Notice } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';
import { ReporterDisclosureDate } from './ReporterDisclosureDate.js';
import { solveInBackground } from '../../cases/proof-of-work.js';

/**
 * The reporter's side of a case, opened with the private link alone: the progress in plain words,
 * the conversation with the team (never its internal notes), a reply box, their own attachments,
 * their report as sent, how to be credited, and for a public issue whether it can still be handled
 * privately.
 */
export function ReporterPage({ token }: { token: string }) {
  const view = useResource(`reporter:${token}`, (signal) => api.getReporterCase(token, signal));
  useTitle(view.data ? `Your report ${view.data.humanId}` : 'Your report');

  if (!view.data) {
    // A malformed token is refused by the schema (400), an unknown one is "not found" (404).
    if (view.error && (view.error.status === 404 || view.error.status === 400)) return <InvalidLink />;
    return view.error ? <ProblemAlert error={view.error} /> : <Loading what="Opening your report" />;
  }

  const v = view.data;
  return (
    <>
      <p className="breadcrumb">
        Report to the {v.project.name} security team · <span className="mono">{v.humanId}</span>
      </p>
      <h1 className="case-title">{v.title}</h1>
      <ProblemAlert error={view.error} title="Your report could not be refreshed" />

      <Progress view={v} />

      {v.held ? <ConfirmHeld token={token} slug={v.project.slug} onConfirmed={view.reload} /> : null}

      {v.askPrivateHandling || v.privateHandling === 'possible' || v.privateHandling === 'declined' ? (
        <PrivateHandling token={token} view={v} onAnswered={view.reload} />
      ) : null}

      <ReporterDisclosureDate token={token} />

      <Section headingId="conversation-heading" title="Conversation">
        <Conversation messages={v.messages} viewer="reporter" />
        <ReplyForm token={token} onSent={view.reload} />
      </Section>

      <Section headingId="files-heading" title="Your attachments">
        <AttachmentList attachments={v.attachments} hrefOf={(a) => api.reporterAttachmentUrl(token, a.id)} />
      </Section>

      <section aria-labelledby="sent-heading" data-testid="report-as-sent">
        <h2 id="sent-heading">Your report as sent</h2>
        <dl className="facts">
          <dt>Subject</dt>
          <dd data-testid="sent-subject">{v.title}</dd>
          <dt>Sent</dt>
          <dd>
            <DateTime value={v.receivedAt} />
          </dd>
          <dt>Already public</dt>
          <dd>{v.publiclyKnown ? 'Yes, you said the issue is already public' : 'No'}</dd>
        </dl>
        <ReportFields report={v.report} publiclyKnown={v.publiclyKnown} />
        <h3>Files sent with the report</h3>
        <AttachmentList
          attachments={v.report.attachments}
          hrefOf={(a) => api.reporterAttachmentUrl(token, a.id)}
        />
      </section>

      <Section headingId="credit-heading" title="How to credit you">
        <CreditForm token={token} credit={v.credit} onSaved={view.reload} />
      </Section>
    </>
  );
}

const STEP_WORDS: Record<ReporterView['progress']['steps'][number]['status'], string> = {
  done: 'done',
  current: 'current step',
  upcoming: 'to come',
  'not-reached': 'not reached',
};

/**
 * Where the case stands, in plain words: the sentence for its state, the steps of a report's life
 * with the current one said in words (not by colour alone), and when the report came in.
 */
function Progress({ view: v }: { view: ReporterView }) {
  const late = v.progress.firstResponse.late;
  return (
    <div className="panel status-panel" data-testid="reporter-status">
      <p className="status-label">Status</p>
      <p className="status-text" data-testid="progress-sentence">
        {v.progress.sentence}
      </p>
      {late ? (
        <p className="badge badge-danger" data-testid="first-response-late">
          First answer late
        </p>
      ) : null}
      <ol className="progress-steps" aria-label="Steps of your report" data-testid="progress-steps">
        {v.progress.steps.map((s) => (
          <li
            key={s.step}
            className={`progress-step progress-step-${s.status}`}
            aria-current={s.status === 'current' ? 'step' : undefined}
          >
            <span className="progress-step-label">{s.label}</span>{' '}
            <span className="progress-step-status">({STEP_WORDS[s.status]})</span>
          </li>
        ))}
      </ol>
      <p className="meta">
        Received <DateTime value={v.receivedAt} />
        {v.publiclyKnown ? ' · treated as already public: the team answers as soon as possible' : null}
      </p>
    </div>
  );
}

/**
 * A held report (the project had very many reports recently): the reporter confirms it here, their
 * browser solving a puzzle (harder the more the project is over its quota), and it goes to the team.
 */
function ConfirmHeld({ token, slug, onConfirmed }: { token: string; slug: string; onConfirmed: () => void }) {
  const { busy, error, run } = useAsyncAction();
  function confirm() {
    void run(async () => {
      const { challenge, difficulty } = await api.getReportChallenge(slug);
      await api.confirmHeldReportWithProof(token, {
        challenge,
        nonce: await solveInBackground(challenge, difficulty),
      });
      onConfirmed();
    });
  }
  return (
    <section className="panel panel-question" aria-labelledby="held-heading" data-testid="held-confirm">
      <h2 id="held-heading">Your report is held until you confirm it</h2>
      <p>
        The project received very many reports recently, so new ones wait for a confirmation that a person
        sent them before the team is told. Confirm yours here (your browser solves a puzzle: a few seconds, or
        some minutes while the project receives very many reports), or with the link in the receipt we mailed
        you.
      </p>
      <ProblemAlert error={error} title="Your report was not confirmed" />
      <button type="button" onClick={confirm} disabled={busy}>
        {busy ? 'Confirming…' : 'Confirm my report'}
      </button>
    </section>
  );
}

function InvalidLink() {
  useTitle('Link not valid');
  return (
    <div className="narrow">
      <h1>This link is not valid</h1>
      <p>
        It may have been copied only in part. Check that you have the whole link, as you received it when you
        sent your report.
      </p>
      <p className="hint">
        If you gave an email address with your report, the team’s messages carry the right link too.
      </p>
    </div>
  );
}

function PrivateHandling({
  token,
  view,
  onAnswered,
}: {
  token: string;
  view: ReporterView;
  onAnswered: () => void;
}) {
  const { busy, error, run } = useAsyncAction();
  function answer(choice: 'possible' | 'declined') {
    void run(async () => {
      await api.answerPrivateHandling(token, choice);
      onAnswered();
    });
  }
  return (
    <Section
      className="panel panel-question"
      headingId="private-heading"
      title="Can this still be handled privately?"
    >
      <p>
        You told us this issue is already public. Can the team still handle it privately, because the full
        exploit details are not yet public?
      </p>
      <ProblemAlert error={error} title="Your answer could not be saved" />
      {view.privateHandling === 'possible' ? (
        <p className="answered">You answered: yes, it can still be handled privately.</p>
      ) : view.privateHandling === 'declined' ? (
        <p className="answered">You answered: no, it cannot. The team treats it as public and urgent.</p>
      ) : null}
      {view.askPrivateHandling ? null : <p className="hint">You can change your answer.</p>}
      <div className="actions">
        <button type="button" className="button-primary" disabled={busy} onClick={() => answer('possible')}>
          Yes, it can still be handled privately
        </button>
        <button type="button" disabled={busy} onClick={() => answer('declined')}>
          No, the full details are public
        </button>
      </div>
    </Section>
  );
}

function ReplyForm({ token, onSent }: { token: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [notice, setNotice] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['body', 'attachments']);

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    void run(async () => {
      await api.addReporterMessage(token, body, await readAttachments(files));
      setBody('');
      setFiles([]);
      setNotice('Sent to the security team.');
      onSent();
    });
  }

  return (
    <form className="stack composer" onSubmit={send}>
      <ProblemAlert error={error} title="Your message was not sent" issues={issues.unclaimed} />
      <Notice>{notice}</Notice>
      <TextAreaField
        label="Write to the security team"
        hint="Answers to their questions, more details, a smaller proof of concept."
        required
        maxLength={100_000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={issues.message('body', 'The message')}
      />
      <AttachmentPicker
        label="Add files"
        files={files}
        onChange={setFiles}
        issues={issues.of('attachments')}
        disabled={busy}
      />
      <SubmitButton busy={busy} busyLabel="Sending…">
        Send
      </SubmitButton>
    </form>
  );
}

interface CreditFormProps {
  token: string;
  credit: ReporterView['credit'];
  onSaved: () => void;
}

function CreditForm({ token, credit, onSaved }: CreditFormProps) {
  const [lines, setLines] = useState<CreditDraft>(() => creditDraft(credit));
  const [anonymous, setAnonymous] = useState(credit.anonymous);
  const [notice, setNotice] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['name', 'handle', 'affiliation']);

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    void run(async () => {
      await api.setReporterCredit(token, creditFromDraft(lines, anonymous));
      setNotice(
        anonymous
          ? 'Saved: you will be credited anonymously.'
          : 'Saved: this is how the advisory will credit you.',
      );
      onSaved();
    });
  }

  return (
    <form className="stack" onSubmit={save}>
      <p className="hint">
        When the issue is published, the advisory credits whoever found it, as you say here.
      </p>
      <ProblemAlert error={error} title="Your credit was not saved" issues={issues.unclaimed} />
      <Notice>{notice}</Notice>
      <div className="form-grid">
        <CreditFields
          value={lines}
          onChange={(patch) => setLines((l) => ({ ...l, ...patch }))}
          error={(field, subject) => issues.message(field, subject)}
        />
      </div>
      <CheckboxField
        label="Credit me anonymously (the team still sees what you give above; the advisory names nobody)"
        checked={anonymous}
        onChange={(e) => setAnonymous(e.target.checked)}
      />
      <SubmitButton busy={busy} busyLabel="Saving…">
        Save how to credit me
      </SubmitButton>
    </form>
  );
}
