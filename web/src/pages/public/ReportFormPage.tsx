import { useState, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import type { IntakeInfo } from '../../api/types.js';
import { EMPTY_REPORT_DRAFT, type ReportDraft } from '../../cases/report-draft.js';
import { AttachmentPicker } from '../../components/AttachmentPicker.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { formatWait, useResource, useTitle } from '../../hooks.js';
import { EncryptionChoice, useProjectKey } from './EncryptionChoice.js';
import { AboutYouStep } from './report-form/AboutYouStep.js';
import { IssueStep } from './report-form/IssueStep.js';
import { PublicityStep } from './report-form/PublicityStep.js';
import { ReportIntro } from './report-form/ReportIntro.js';
import { ReportProblem } from './report-form/ReportProblem.js';
import { ReportSent } from './report-form/ReportSent.js';
import { REPORT_FIELDS } from './report-form/steps.js';
import { useReportSubmission } from './report-form/useReportSubmission.js';

/**
 * The public report form of a project (PROCESS.md §2): loads what the project's policy says a
 * report should hold and what the team commits to, then the form. An unknown project gets a calm
 * "not found", never an error.
 */
export function ReportFormPage({ slug }: { slug: string }) {
  const intake = useResource(`intake:${slug}`, (signal) => api.getIntakeInfo(slug, signal));
  // A slug of the wrong shape is refused by the schema (400), an unknown one is "not found" (404).
  const unknown = intake.error !== undefined && (intake.error.status === 404 || intake.error.status === 400);
  useTitle(
    intake.data
      ? `Report a vulnerability to ${intake.data.name}`
      : unknown
        ? 'Project not found'
        : 'Report a vulnerability',
  );

  if (intake.data) return <ReportForm intake={intake.data} />;
  if (unknown) return <UnknownProject slug={slug} />;
  if (intake.error) {
    return (
      <>
        <ProblemAlert error={intake.error} title="The report form could not be opened" />
        <button type="button" onClick={intake.reload}>
          Try again
        </button>
      </>
    );
  }
  return <Loading what="Opening the report form" />;
}

/**
 * The form itself, in steps: the subject, who the reporter is, the issue, whether it is public,
 * files, and encryption in the browser to the project's key unless the reporter says not to. On
 * success it shows the case id, the deadline and the reporter's private link; on a refusal it keeps
 * everything typed and marks the fields the server named (inside the encrypted message too).
 */
function ReportForm({ intake }: { intake: IntakeInfo }) {
  const { slug } = intake;
  const [draft, setDraft] = useState<ReportDraft>(EMPTY_REPORT_DRAFT);
  const [files, setFiles] = useState<File[]>([]);
  const [encrypt, setEncrypt] = useState(true);
  const projectKey = useProjectKey(slug, encrypt);
  const submission = useReportSubmission(slug, projectKey.reload);
  const { busy, error, sent, waitSeconds } = submission;
  const issues = fieldIssues(error, REPORT_FIELDS);
  const step = {
    draft,
    issues,
    onChange: (patch: Partial<ReportDraft>) => setDraft((d) => ({ ...d, ...patch })),
  };

  if (sent) return <ReportSent sent={sent} />;

  const keyState = projectKey.state;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Off, or the key could not be loaded (the form says so): the plain route.
    submission.submit(draft, files, keyState.status === 'ready' ? keyState.key : null);
  }

  return (
    <>
      <ReportIntro intake={intake} />
      <ReportProblem error={error} issues={issues} projectName={intake.name} waitSeconds={waitSeconds} />

      <form
        className="stack report-form"
        onSubmit={submit}
        data-proof-of-work={submission.proofReady ? 'ready' : 'pending'}
      >
        <Field
          label="Subject"
          hint={intake.subjectHint}
          required
          minLength={3}
          maxLength={200}
          value={draft.subject}
          onChange={(e) => step.onChange({ subject: e.target.value })}
          error={issues.message('subject', 'The subject')}
        />
        <AboutYouStep {...step} />
        <IssueStep {...step} />
        <PublicityStep {...step} />
        <AttachmentPicker
          label="Attachments"
          files={files}
          onChange={setFiles}
          maxBytes={intake.maxAttachmentBytesPerCase}
          issues={issues.of('attachments')}
        />
        <EncryptionChoice
          projectName={intake.name}
          publicKeyUrl={intake.publicKeyUrl}
          enabled={encrypt}
          onChange={setEncrypt}
          keyState={keyState}
          onRetry={projectKey.reload}
        />
        <SubmitButton
          busy={busy}
          busyLabel={keyState.status === 'ready' ? 'Encrypting and sending…' : 'Sending…'}
          disabled={waitSeconds > 0 || keyState.status === 'loading'}
        >
          {waitSeconds > 0 ? `Send the report (wait ${formatWait(waitSeconds)})` : 'Send the report'}
        </SubmitButton>
      </form>
    </>
  );
}

/** A report form address for a project this instance does not have. */
function UnknownProject({ slug }: { slug: string }) {
  return (
    <div className="narrow">
      <h1>No such project here</h1>
      <p>
        This Vigil instance has no project called <span className="mono">{slug}</span>, so there is no report
        form at this address.
      </p>
      <p className="hint">
        Check the address against the project’s SECURITY.md or security.txt, which name its report form.
      </p>
    </div>
  );
}
