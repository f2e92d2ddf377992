import { useState } from 'react';
import * as distributors from '../../api/distributors.js';
import type { VouchDetail } from '../../api/distributors.js';
import { DateTime } from '../../components/DateTime.js';
import { TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { Loading, Notice } from '../../components/Status.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';
import { Answers } from './Answers.js';

const STATE_WORDS: Record<VouchDetail['state'], string> = {
  asked: 'waiting for your answer',
  vouched: 'you vouched for it',
  declined: 'you declined to vouch',
};

/**
 * A vouch request, where the mail to the member an applicant named leads (PROCESS.md §7,
 * criterion 7): the application's organisation, person and answers, and the member's answer.
 * Anyone but the person asked finds nothing here.
 */
export function VouchPage({ applicationId }: { applicationId: string }) {
  const vouch = useResource(`vouch:${applicationId}`, (signal) =>
    distributors.getMyVouch(applicationId, signal),
  );
  useTitle(vouch.data ? `Vouch for ${vouch.data.orgName}` : 'Vouch request');
  if (!vouch.data) {
    if (vouch.error?.status === 404) {
      return (
        <>
          <h1>No such vouch request</h1>
          <p>
            There is no vouch request here for you: it may be addressed to someone else, or you are no longer
            on the list. <Link to="/account">Your account</Link>
          </p>
        </>
      );
    }
    return vouch.error ? <ProblemAlert error={vouch.error} /> : <Loading what="Loading the vouch request" />;
  }
  return <VouchRequest vouch={vouch.data} onAnswered={vouch.reload} />;
}

function VouchRequest({ vouch, onAnswered }: { vouch: VouchDetail; onAnswered: () => void }) {
  const [note, setNote] = useState('');
  const [done, setDone] = useState('');
  const { busy, error, run } = useAsyncAction();

  function answer(decision: 'vouch' | 'decline') {
    void run(async () => {
      await distributors.answerVouch(vouch.applicationId, decision, note.trim());
      setDone(decision === 'vouch' ? 'You vouched for this application.' : 'You declined to vouch.');
      onAnswered();
    });
  }

  return (
    <>
      <h1>Vouch for {vouch.orgName}?</h1>
      <p className="lead">
        {vouch.applicantName} applies for {vouch.orgName} to join the distributors list of{' '}
        {vouch.project.name}, and named you as the member who vouches for them. Vouch only if you know them
        and trust them with embargoed information; the security team decides either way.
      </p>
      <dl className="facts">
        <div>
          <dt>Applicant</dt>
          <dd>
            {vouch.applicantName} ({vouch.applicantEmail})
          </dd>
        </div>
        <div>
          <dt>Contact alias</dt>
          <dd>{vouch.contactAlias}</dd>
        </div>
        <div>
          <dt>Asked</dt>
          <dd>
            <DateTime value={vouch.askedAt} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd data-testid="vouch-state">{STATE_WORDS[vouch.state]}</dd>
        </div>
      </dl>
      <Section headingId="answers-heading" title="Their answers to the membership criteria">
        <Answers answers={vouch.answers} />
      </Section>
      <Notice>{done}</Notice>
      <ProblemAlert error={error} title={error ? 'Your answer was not recorded' : undefined} />
      {vouch.open ? (
        <section className="panel stack" aria-labelledby="your-answer-heading">
          <h2 id="your-answer-heading">Your answer</h2>
          <TextAreaField
            label="A word to the security team (optional)"
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="actions">
            <button type="button" className="button-primary" disabled={busy} onClick={() => answer('vouch')}>
              Vouch for them
            </button>
            <button type="button" disabled={busy} onClick={() => answer('decline')}>
              Decline
            </button>
          </div>
        </section>
      ) : (
        <p className="meta">
          {vouch.answeredAt ? (
            <>
              Answered <DateTime value={vouch.answeredAt} />.
            </>
          ) : (
            'The application was decided before you answered.'
          )}
          {vouch.note ? ` Your note: ${vouch.note}` : ''}
        </p>
      )}
    </>
  );
}
