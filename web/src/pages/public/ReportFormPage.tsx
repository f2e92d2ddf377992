import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import type { IntakeInfo, ReportInput, SubmittedReport } from '../../api/types.js';
import { describeFirstResponse } from '../../cases/clock.js';
import type { ProjectKey } from '../../cases/encrypt-report.js';
import { readAttachments } from '../../cases/files.js';
import { formatFingerprint, isUndecryptable, oversizeIssue } from '../../cases/report-encryption.js';
import { AttachmentPicker } from '../../components/AttachmentPicker.js';
import { CopyField } from '../../components/CopyField.js';
import { DateTime } from '../../components/DateTime.js';
import { CheckboxField, Field, FieldError, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert, Loading } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { formatWait, useAsyncAction, useCountdown, useResource, useTitle } from '../../hooks.js';
import { EncryptionChoice, useProjectKey } from './EncryptionChoice.js';

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

/** The issue tracker as a link, when the policy names a web address for it. */
function trackerLink(url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url) ? url : null;
}

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

/** Sent, and how: the case, and the key fingerprint when the report was encrypted in the browser. */
interface Sent {
  report: SubmittedReport;
  encryptedTo: string | null;
}

/** Encrypts the report to the project's key and files it; refuses early what the server would not take. */
async function sendEncrypted(slug: string, key: ProjectKey, report: ReportInput): Promise<SubmittedReport> {
  let encrypted: string;
  try {
    encrypted = await key.encrypt(report);
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Your report could not be encrypted',
      status: 0,
      detail: 'Try again, or send it without encryption in the browser.',
    });
  }
  const tooBig = oversizeIssue(JSON.stringify({ encrypted }).length);
  if (tooBig) throw new ApiError({ type: 'about:blank', title: 'Too large', status: 413, issues: [tooBig] });
  return api.submitEncryptedReport(slug, encrypted);
}

/**
 * The form itself: asks what the seeds' "Proposed Email Content" asks, encrypts in the browser to
 * the project's key unless the reporter says not to, and on success shows the case id, the
 * deadline and the reporter's private link; on a refusal it keeps everything typed and marks the
 * fields the server named (inside the encrypted message too).
 */
function ReportForm({ intake }: { intake: IntakeInfo }) {
  const { slug } = intake;
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
  const [encrypt, setEncrypt] = useState(true);
  const projectKey = useProjectKey(slug, encrypt);
  const [sent, setSent] = useState<Sent | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waitSeconds = useCountdown(retryAt);
  const { busy, error, run } = useAsyncAction({
    onError: ({ retryAfterSeconds, issues }) => {
      if (retryAfterSeconds !== null) setRetryAt(Date.now() + retryAfterSeconds * 1000);
      // Most likely the project changed its key since the page loaded: fetch the current one.
      if (isUndecryptable(issues)) projectKey.reload();
    },
  });
  const issues = fieldIssues(error, FIELDS);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) alertRef.current?.scrollIntoView({ block: 'start' });
  }, [error]);

  if (sent) return <Submitted sent={sent} />;

  const keyState = projectKey.state;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Off, or the key could not be loaded (the form says so): the plain route.
    const key = keyState.status === 'ready' ? keyState.key : null;
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
      const result = key ? await sendEncrypted(slug, key, report) : await api.submitReport(slug, report);
      setSent({ report: result, encryptedTo: key?.fingerprint ?? null });
      window.scrollTo(0, 0);
    });
  }

  const rateLimited = error?.status === 429;
  const refused = error !== undefined && error.status >= 400 && error.status < 500;
  const tracker = trackerLink(intake.issueTrackerUrl);
  return (
    <>
      <h1>Report a vulnerability to the {intake.name} security team</h1>
      <p className="lead">
        Only the {intake.name} security team reads what you send here, and you do not need an account.{' '}
        <span data-testid="first-response">
          A human on the team answers {describeFirstResponse(intake.firstResponseBusinessDays)}.
        </span>
      </p>
      <p className="hint intro">
        Not a security problem (a crash on a bad configuration, a feature request)? Please use the project’s{' '}
        {tracker ? <a href={tracker}>public issue tracker</a> : 'public issue tracker'} instead.
      </p>
      {intake.reportContents.length > 0 ? (
        <section className="panel guidance" aria-labelledby="guidance-heading" data-testid="guidance">
          <h2 id="guidance-heading">What the team asks a report to include</h2>
          <ul>
            {intake.reportContents.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <div ref={alertRef}>
        {error && isUndecryptable(error.issues) ? (
          <UndecryptableAlert projectName={intake.name} />
        ) : (
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
        )}
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
          <FieldError message={issues.message('reporter', 'Your details')} />
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

/** The message inside the encrypted report could not be opened: say so, and keep everything typed. */
function UndecryptableAlert({ projectName }: { projectName: string }) {
  return (
    <Alert title="Your report was not sent: the security team’s key could not open it">
      <p>
        The {projectName} security team may have changed its key since this page was opened. The form has
        fetched the current key again: check its fingerprint below, then send again, or send without
        encryption in the browser. Everything you typed is still here.
      </p>
    </Alert>
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

/** What the reporter sees once the report is filed: the case id, the deadline, and the private link. */
function Submitted({ sent: { report, encryptedTo } }: { sent: Sent }) {
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
      <p className="hint" data-testid="sent-how">
        {encryptedTo ? (
          <>
            It was encrypted in your browser to the key{' '}
            <code className="mono fingerprint">{formatFingerprint(encryptedTo)}</code>.
          </>
        ) : (
          'It was sent without encryption in the browser, protected by your connection to this site.'
        )}
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
