import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import type { ReportInput, SubmittedReport } from '../../api/types.js';
import { readAttachments } from '../../cases/files.js';
import { AttachmentPicker } from '../../components/AttachmentPicker.js';
import { CopyField } from '../../components/CopyField.js';
import { DateTime } from '../../components/DateTime.js';
import { CheckboxField, Field, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { formatWait, useAsyncAction, useCountdown, useTitle } from '../../hooks.js';

const FIELDS = [
  'subject',
  'reporter',
  'reporter.name',
  'reporter.handle',
  'reporter.affiliation',
  'reporter.email',
  'reproduction',
  'effects',
  'impact',
  'dependencies',
  'publiclyKnown',
  'publicDetails',
  'attachments',
] as const;

/** An optional single-line answer: trimmed, left out when empty. */
function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The public report form of a project (PROCESS.md §2): no account, asks what the seeds' "Proposed
 * Email Content" asks. On success it shows the case id, the deadline and the reporter's private
 * link; on a refusal it keeps everything typed and marks the fields the server named.
 */
export function ReportFormPage({ slug }: { slug: string }) {
  useTitle('Report a security issue');
  const [subject, setSubject] = useState('');
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [affiliation, setAffiliation] = useState('');
  const [email, setEmail] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [reproduction, setReproduction] = useState('');
  const [effects, setEffects] = useState('');
  const [impact, setImpact] = useState('');
  const [dependencies, setDependencies] = useState('');
  const [isPublic, setIsPublic] = useState(false);
  const [publicDetails, setPublicDetails] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [submitted, setSubmitted] = useState<SubmittedReport | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waitSeconds = useCountdown(retryAt);
  const { busy, error, run } = useAsyncAction({
    onError: ({ retryAfterSeconds }) => {
      if (retryAfterSeconds !== null) setRetryAt(Date.now() + retryAfterSeconds * 1000);
    },
  });
  const issues = fieldIssues(error, FIELDS);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) alertRef.current?.scrollIntoView({ block: 'start' });
  }, [error]);

  if (submitted) return <Submitted report={submitted} />;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      let attachments: ReportInput['attachments'];
      try {
        attachments = await readAttachments(files);
      } catch {
        throw new ApiError({
          type: 'about:blank',
          title: 'A file could not be read',
          status: 0,
          detail: 'Check that the chosen files still exist and can be opened, then send again.',
        });
      }
      const report: ReportInput = {
        subject: subject.trim(),
        reporter: {
          name: optional(name),
          handle: optional(handle),
          affiliation: optional(affiliation),
          email: optional(email),
          anonymous,
        },
        reproduction,
        effects,
        impact,
        dependencies,
        publiclyKnown: isPublic,
        publicDetails: isPublic ? publicDetails : '',
        attachments,
      };
      const result = await api.submitReport(slug, report);
      setSubmitted(result);
      window.scrollTo(0, 0);
    });
  }

  const rateLimited = error?.status === 429;
  const refused = error !== undefined && error.status >= 400 && error.status < 500;
  return (
    <>
      <h1>Report a security issue</h1>
      <p className="lead">
        To the security team of <span className="mono">{slug}</span>. Only that team reads what you send here;
        you do not need an account.
      </p>
      <p className="hint intro">
        Not a security problem (a crash on a bad configuration, a feature request)? Please use the project’s
        public issue tracker instead.
      </p>

      <div ref={alertRef}>
        <ProblemAlert
          error={error}
          title={
            rateLimited
              ? 'Too many reports were sent just now'
              : refused
                ? 'Your report was not sent'
                : undefined
          }
          issues={issues.unclaimed}
        />
        {rateLimited ? (
          <p className="alert alert-info" role="status">
            Everything you typed is still here.
            {waitSeconds > 0
              ? ` You can send it again in ${formatWait(waitSeconds)}.`
              : ' You can send it now.'}
          </p>
        ) : null}
      </div>

      <form className="stack report-form" onSubmit={submit}>
        <Field
          label="Subject"
          hint="One descriptive line, e.g. “Heap overflow in the xDS parser via a crafted ClusterLoadAssignment”."
          required
          minLength={3}
          maxLength={200}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={issues.message('subject', 'The subject')}
        />

        <fieldset>
          <legend>About you (all optional)</legend>
          <div className="form-grid form-grid-2">
            <Field
              label="Name, or how to be referred to"
              maxLength={200}
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={issues.message('reporter.name', 'The name')}
            />
            <Field
              label="Handle"
              hint="e.g. your GitHub handle"
              maxLength={100}
              value={handle}
              onChange={(e) => setHandle(e.target.value)}
              error={issues.message('reporter.handle', 'The handle')}
            />
            <Field
              label="Affiliation"
              maxLength={200}
              autoComplete="organization"
              value={affiliation}
              onChange={(e) => setAffiliation(e.target.value)}
              error={issues.message('reporter.affiliation', 'The affiliation')}
            />
            <Field
              label="Email"
              hint="To be told when the team answers. Never published."
              type="email"
              maxLength={320}
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={issues.message('reporter.email', 'The email')}
            />
          </div>
          <CheckboxField
            label="Credit me anonymously in the advisory"
            checked={anonymous}
            onChange={(e) => setAnonymous(e.target.checked)}
          />
          {issues.message('reporter', 'Your details') ? (
            <p className="field-error">{issues.message('reporter', 'Your details')}</p>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>The issue</legend>
          <div className="stack">
            <TextAreaField
              label="Steps to reproduce"
              hint="In detail: what you did, what you sent, what happened. Attach proof-of-concept scripts below."
              required
              rows={8}
              maxLength={100_000}
              value={reproduction}
              onChange={(e) => setReproduction(e.target.value)}
              error={issues.message('reproduction', 'The steps to reproduce')}
            />
            <TextAreaField
              label="Effects, and the configuration you saw them on"
              hint="Versions, hardware and software, settings."
              maxLength={50_000}
              value={effects}
              onChange={(e) => setEffects(e.target.value)}
              error={issues.message('effects', 'The effects')}
            />
            <TextAreaField
              label="Impact and attack surface"
              hint="How it affects users, who could exploit it and from where."
              maxLength={50_000}
              value={impact}
              onChange={(e) => setImpact(e.target.value)}
              error={issues.message('impact', 'The impact')}
            />
            <TextAreaField
              label="Other projects or dependencies involved"
              rows={3}
              maxLength={20_000}
              value={dependencies}
              onChange={(e) => setDependencies(e.target.value)}
              error={issues.message('dependencies', 'The dependencies')}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>Is this already public?</legend>
          <div className="radio-group">
            <label>
              <input type="radio" name="public" checked={!isPublic} onChange={() => setIsPublic(false)} /> No,
              as far as I know only I know of it
            </label>
            <label>
              <input type="radio" name="public" checked={isPublic} onChange={() => setIsPublic(true)} /> Yes,
              it is already public, or being exploited
            </label>
          </div>
          {isPublic ? (
            <TextAreaField
              label="Where, and since when?"
              hint="Links, forums, dates. The team treats a public issue as urgent, and will ask you whether it can still be handled privately."
              rows={3}
              maxLength={10_000}
              value={publicDetails}
              onChange={(e) => setPublicDetails(e.target.value)}
              error={issues.message('publicDetails', 'Where it is public')}
            />
          ) : null}
        </fieldset>

        <AttachmentPicker
          label="Attachments"
          files={files}
          onChange={setFiles}
          issues={issues.of('attachments')}
        />

        <SubmitButton busy={busy} busyLabel="Sending…" disabled={waitSeconds > 0}>
          {waitSeconds > 0 ? `Send the report (wait ${formatWait(waitSeconds)})` : 'Send the report'}
        </SubmitButton>
      </form>
    </>
  );
}

/** What the reporter sees once the report is filed: the case id, the deadline, and the private link. */
function Submitted({ report }: { report: SubmittedReport }) {
  useTitle(`Report ${report.humanId} received`);
  return (
    <>
      <h1>Report received</h1>
      <p className="lead">
        Your report is case{' '}
        <strong className="mono" data-testid="case-id">
          {report.humanId}
        </strong>
        .
      </p>
      <p>
        A member of the security team will answer you{' '}
        {report.firstResponseDueAt ? (
          <>
            by <DateTime value={report.firstResponseDueAt} />
          </>
        ) : (
          'as soon as possible'
        )}
        . An automatic receipt is waiting at your private link already.
      </p>
      <div className="panel panel-secret">
        <CopyField
          label="Your private link"
          value={report.reporterLink}
          warning="Keep this link: unless you gave an email address, it is the only way back to your report and the team’s answers. Keep it private too: whoever has it can read and write in the conversation."
        />
        <p>
          <a href={report.reporterLink}>Open your report</a>
        </p>
      </div>
    </>
  );
}
