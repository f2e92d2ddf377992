import { useState, type FormEvent } from 'react';
import * as distributors from '../../api/distributors.js';
import type { ApplyInfo, SubmittedApplication } from '../../api/distributors.js';
import { CheckboxField, Field, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';

/**
 * The public application to a project's distributors list (PROCESS.md §7): the organisation, the
 * person applying, one answer per membership criterion in their own words, the embargo policy to
 * accept (by the version shown), an optional OpenPGP key, and a member of the list who vouches.
 * A project without a list gets a calm "no list here".
 */
export function DistributorApplyPage({ slug }: { slug: string }) {
  const info = useResource(`distributors-apply:${slug}`, (signal) => distributors.getApplyInfo(slug, signal));
  const unknown = info.error !== undefined && (info.error.status === 404 || info.error.status === 400);
  useTitle(info.data ? `Apply to the ${info.data.listName}` : unknown ? 'No distributors list' : 'Apply');

  if (info.data) return <ApplicationForm slug={slug} info={info.data} onStale={info.reload} />;
  if (unknown) {
    return (
      <div className="narrow">
        <h1>No distributors list here</h1>
        <p>
          This Vigil instance has no project <span className="mono">{slug}</span> with a distributors list, so
          there is nothing to apply to at this address.
        </p>
      </div>
    );
  }
  if (info.error) return <ProblemAlert error={info.error} title="The application form could not be opened" />;
  return <Loading what="Opening the application form" />;
}

interface Draft {
  orgName: string;
  contactAlias: string;
  applicantName: string;
  applicantEmail: string;
  pgpPublicKey: string;
  answers: string[];
  vouchEmail: string;
  accepted: boolean;
}

function ApplicationForm({ slug, info, onStale }: { slug: string; info: ApplyInfo; onStale: () => void }) {
  const [draft, setDraft] = useState<Draft>({
    orgName: '',
    contactAlias: '',
    applicantName: '',
    applicantEmail: '',
    pgpPublicKey: '',
    answers: info.criteria.map(() => ''),
    vouchEmail: '',
    accepted: false,
  });
  const [sent, setSent] = useState<SubmittedApplication | null>(null);
  const { busy, error, run } = useAsyncAction({
    onError: (e) => {
      // The embargo text changed since it was shown: show the new one, to be accepted again.
      if (e.status === 409) {
        setDraft((d) => ({ ...d, accepted: false }));
        onStale();
      }
    },
  });
  const fields = [
    'orgName',
    'contactAlias',
    'applicantName',
    'applicantEmail',
    'pgpPublicKey',
    'vouchEmail',
    'embargoHash',
    'answers',
    ...info.criteria.map((_c, i) => `answers.${i}`),
  ];
  const issues = fieldIssues(error, fields);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  if (sent) {
    return (
      <div className="narrow" role="status">
        <h1>Application sent</h1>
        <p>
          Your application to the {info.listName} of {info.project.name} was received on{' '}
          <time dateTime={sent.submittedAt}>{new Date(sent.submittedAt).toLocaleString()}</time>.
        </p>
        <p>
          The member you named is asked to vouch for you in Vigil. The security team then decides, and writes
          to {draft.applicantEmail}.
        </p>
        <p>
          If your organisation is approved, that mail brings you to Vigil: sign in and accept the embargo
          policy on your account page. Nothing under embargo reaches you before you do.
        </p>
      </div>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const key = draft.pgpPublicKey.trim();
      setSent(
        await distributors.submitApplication(slug, {
          orgName: draft.orgName,
          contactAlias: draft.contactAlias,
          applicantName: draft.applicantName,
          applicantEmail: draft.applicantEmail,
          ...(key ? { pgpPublicKey: key } : {}),
          answers: draft.answers,
          embargoHash: info.embargo.hash,
          vouchEmail: draft.vouchEmail,
        }),
      );
    });
  }

  return (
    <>
      <h1>
        Apply to the {info.listName} of {info.project.name}
      </h1>
      <p className="lead">
        Members receive early, private notice of security issues of {info.project.name} under embargo. Say how
        your organisation meets each membership criterion, accept the embargo policy, and name someone already
        on the list who vouches for you.
      </p>
      <ProblemAlert
        error={error}
        title={
          error?.status === 409
            ? 'The embargo policy changed: read it again below'
            : 'The application was not sent'
        }
        issues={issues.unclaimed}
      />
      <form className="stack" onSubmit={submit}>
        <fieldset className="stack">
          <legend>Your organisation</legend>
          <Field
            label="Organisation"
            required
            maxLength={200}
            value={draft.orgName}
            onChange={(e) => set({ orgName: e.target.value })}
            error={issues.message('orgName', 'The organisation')}
          />
          <Field
            label="Contact alias"
            type="email"
            required
            maxLength={254}
            hint="Your organisation's security list: one address for the whole team."
            value={draft.contactAlias}
            onChange={(e) => set({ contactAlias: e.target.value })}
            error={issues.message('contactAlias', 'The contact alias')}
          />
        </fieldset>
        <fieldset className="stack">
          <legend>You</legend>
          <Field
            label="Your name"
            required
            maxLength={200}
            autoComplete="name"
            value={draft.applicantName}
            onChange={(e) => set({ applicantName: e.target.value })}
            error={issues.message('applicantName', 'Your name')}
          />
          <Field
            label="Your email"
            type="email"
            required
            maxLength={254}
            autoComplete="email"
            value={draft.applicantEmail}
            onChange={(e) => set({ applicantEmail: e.target.value })}
            error={issues.message('applicantEmail', 'Your email')}
          />
          <TextAreaField
            label="Your OpenPGP public key (optional)"
            rows={4}
            maxLength={100_000}
            className="mono"
            hint="Armored (-----BEGIN PGP PUBLIC KEY BLOCK-----). Early disclosures to you are encrypted with it."
            value={draft.pgpPublicKey}
            onChange={(e) => set({ pgpPublicKey: e.target.value })}
            error={issues.message('pgpPublicKey', 'The key')}
          />
        </fieldset>
        <fieldset className="stack">
          <legend>Membership criteria</legend>
          <p className="hint">Answer each in your own words: how your organisation meets it.</p>
          {info.criteria.map((criterion, i) => (
            <TextAreaField
              key={criterion}
              label={`${i + 1}. ${criterion}`}
              required
              rows={3}
              maxLength={4000}
              value={draft.answers[i] ?? ''}
              onChange={(e) => set({ answers: draft.answers.map((a, j) => (j === i ? e.target.value : a)) })}
              error={issues.message(`answers.${i}`, 'This answer')}
            />
          ))}
        </fieldset>
        <fieldset className="stack">
          <legend>Embargo policy</legend>
          <div
            className="terms prewrap"
            tabIndex={0}
            role="region"
            aria-label="Embargo policy"
            data-testid="embargo-text"
          >
            {info.embargo.text}
          </div>
          <p className="meta">
            Version <span className="mono">{info.embargo.hash.slice(0, 12)}</span>: Vigil records which text
            you accepted, and when.
          </p>
          <CheckboxField
            label="I accept the embargo policy, for my organisation and for everyone in it I share information with"
            required
            checked={draft.accepted}
            onChange={(e) => set({ accepted: e.target.checked })}
          />
        </fieldset>
        <Field
          label="Vouching member's email"
          type="email"
          required
          maxLength={254}
          hint="Someone already on the list, who agreed to vouch for you. They are asked in Vigil."
          value={draft.vouchEmail}
          onChange={(e) => set({ vouchEmail: e.target.value })}
          error={issues.message('vouchEmail', 'The address')}
        />
        <SubmitButton busy={busy} busyLabel="Sending…" disabled={!draft.accepted}>
          Send the application
        </SubmitButton>
      </form>
    </>
  );
}
