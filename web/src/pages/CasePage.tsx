import { useState, type ReactNode } from 'react';
import * as api from '../api/endpoints.js';
import { DISCLOSED_STATES, FIX_OPEN_STATES, type CaseDetail, type CaseState } from '../api/types.js';
import { describeClock, formatDuration } from '../cases/clock.js';
import { casePath } from '../cases/paths.js';
import { stateClass } from '../cases/state-palette.js';
import { stateLabel } from '../cases/words.js';
import { AttachmentList } from '../components/AttachmentList.js';
import { ClockText } from '../components/ClockText.js';
import { Conversation } from '../components/Conversation.js';
import { DateTime } from '../components/DateTime.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { ReportFields } from '../components/ReportFields.js';
import { Section } from '../components/Section.js';
import { Loading, Notice } from '../components/Status.js';
import { useNow, useResource, useTitle } from '../hooks.js';
import { Link } from '../router.js';
import { AdvisorySection } from './advisory/AdvisorySection.js';
import { AccessLogPanel } from './case/AccessLogPanel.js';
import { Composer } from './case/Composer.js';
import { PubliclyKnownToggle } from './case/PubliclyKnownToggle.js';
import { ReporterPanel } from './case/ReporterPanel.js';
import { TriagePanel } from './case/TriagePanel.js';
import { HeldPanel } from './case/HeldPanel.js';
import { FixArea } from './case/fix/FixArea.js';
import { FixLeadPanel } from './case/fix/FixLeadPanel.js';
import { RetrospectiveSection } from './case/fix/RetrospectiveSection.js';
import { DisclosureDatePanel } from './case/disclosure/DisclosureDatePanel.js';
import { PortalLogPanel } from './case/disclosure/PortalLogPanel.js';
import { PublicationPanel } from './case/PublicationPanel.js';

/** From acceptance on, the case has a fix phase; its panels stay, read-only, after publication. */
const FIX_PHASE_STATES: readonly CaseState[] = [...FIX_OPEN_STATES, ...DISCLOSED_STATES];

/**
 * One case as the security team works it: the clock, the report, attachments, the conversation
 * with internal notes among it, a composer, the moves the transition table allows now, the
 * reporter and the "publicly known" flag; from acceptance on, the fix phase (Fix Lead and team,
 * the private repository and its CI, the release matrix, the phase clocks) and, once published,
 * the retrospective. Someone invited to the one case (without `case.read`) sees the member view:
 * the report, the advisory and the fix, but not the conversation, attachments or reporter. All
 * report text is shown as text.
 */
export function CasePage({ humanId }: { humanId: string }) {
  const found = useResource(`case:${humanId}`, (signal) => api.getCase(humanId, signal));
  const now = useNow();
  const [notice, setNotice] = useState('');
  useTitle(found.data?.humanId ?? humanId);

  if (!found.data) {
    if (found.error?.status === 404) {
      return (
        <>
          <h1>Case not found</h1>
          <p>
            There is no case “{humanId}”, or you may not see it: it is for its project’s security team, and
            for those invited to it until it is published. <Link to="/cases">All cases</Link>
          </p>
        </>
      );
    }
    return found.error ? <ProblemAlert error={found.error} /> : <Loading what="Loading the case" />;
  }

  const c = found.data;
  const team = c.abilities['case.read'];
  const fixPhase = FIX_PHASE_STATES.includes(c.state);
  function changed(message: string) {
    setNotice(message);
    found.reload();
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">Cases</Link> <span aria-hidden="true">/</span>{' '}
        <span className="mono" data-testid="case-id">
          {c.humanId}
        </span>
      </p>
      <h1 className="case-title" data-testid="case-title">
        {c.title}
      </h1>
      <p className="meta">
        <span className={stateClass(c.state)} data-testid="case-state">
          {stateLabel(c.state)}
        </span>
        <span aria-hidden="true"> · </span>
        <Link to={`/projects/${encodeURIComponent(c.project.slug)}`}>{c.project.name}</Link>
        <span aria-hidden="true"> · </span>
        received <DateTime value={c.receivedAt} /> through {channelLabel(c.channel)}
        <span aria-hidden="true"> · </span>
        severity{' '}
        {c.cvssScore !== null ? `CVSS ${c.cvssScore.toFixed(1)} ${c.severity ?? ''}`.trim() : 'not scored'}
        {c.duplicateOf ? (
          <>
            <span aria-hidden="true"> · </span>
            duplicate of <Link to={casePath(c.duplicateOf)}>{c.duplicateOf}</Link>
          </>
        ) : null}
      </p>
      <ProblemAlert error={found.error} title="The case could not be refreshed" />
      <Notice>{notice}</Notice>

      {team ? (
        <ClockBanner c={c} now={now} />
      ) : (
        <p className="hint member-note" data-testid="member-note">
          You were invited to this case. You see its report, its advisory and its fix; the conversation with
          the reporter stays with the project’s security team.
        </p>
      )}

      <div className="case-grid">
        <div className="case-main">
          {c.abilities['case.triage'] ? <HeldPanel c={c} onReleased={changed} /> : null}
          {c.abilities['case.triage'] ? <TriagePanel c={c} onMoved={changed} /> : null}

          {fixPhase ? <FixArea c={c} onChanged={changed} /> : null}

          {fixPhase && c.abilities['case.disclosure-date.read'] ? (
            <DisclosureDatePanel c={c} onDecided={changed} />
          ) : null}
          {fixPhase && team ? <PortalLogPanel c={c} /> : null}
          {fixPhase && c.state !== 'accepted' && c.abilities['case.publication.read'] ? (
            <PublicationPanel c={c} />
          ) : null}

          {DISCLOSED_STATES.includes(c.state) && c.abilities['case.retrospective.read'] ? (
            <RetrospectiveSection c={c} onClosed={changed} />
          ) : null}

          <AdvisorySection c={c} />

          <Section headingId="report-heading" title="Report">
            <ReportFields report={c.report} publiclyKnown={c.publiclyKnown} />
          </Section>

          {team ? (
            <>
              <Section headingId="attachments-heading" title="Attachments">
                <AttachmentList
                  attachments={c.attachments}
                  hrefOf={(a) => api.caseAttachmentUrl(c.id, a.id)}
                  showUploader
                />
              </Section>

              <Section headingId="conversation-heading" title="Conversation and internal notes">
                <Conversation messages={c.messages} viewer="team" />
                {c.abilities['case.message'] ? <Composer caseId={c.id} onSent={changed} /> : null}
              </Section>
            </>
          ) : null}

          {c.abilities['case.access-log.read'] ? <AccessLogPanel c={c} /> : null}
        </div>

        <aside className="case-side" aria-label={team ? 'Reporter and flags' : 'About the case'}>
          {c.abilities['case.triage'] ? <PubliclyKnownToggle c={c} onChanged={changed} /> : null}
          {fixPhase ? <FixLeadPanel c={c} onChanged={changed} /> : null}
          {team ? <ReporterPanel c={c} /> : null}
        </aside>
      </div>
    </>
  );
}

function channelLabel(channel: string): string {
  return { web: 'the web form', api: 'the API', email: 'email' }[channel] ?? channel;
}

/** The first-response clock, large: the one number a team must not miss. */
function ClockBanner({ c, now }: { c: CaseDetail; now: number }) {
  const { clock } = c;
  let detail: ReactNode;
  switch (clock.status) {
    case 'met':
    case 'missed':
      detail = (
        <>
          First answered <DateTime value={clock.respondedAt} />
          {clock.dueAt && clock.respondedAt && clock.respondedAt > clock.dueAt
            ? `, ${formatDuration(Date.parse(clock.respondedAt) - Date.parse(clock.dueAt))} after the deadline`
            : clock.dueAt
              ? ', within the deadline'
              : null}
          .
        </>
      );
      break;
    case 'paused':
      detail = 'Waiting for the reporter’s answer; the time waiting does not count.';
      break;
    case 'asap':
      detail =
        describeClock(clock, now).tone === 'overdue'
          ? 'The issue is publicly known: every clock is “as soon as possible”, and the first answer is late.'
          : 'The issue is publicly known: every clock is “as soon as possible”.';
      break;
    case 'none':
      // A held report's clock has not started (HeldPanel): it starts when the report is released.
      detail = c.held
        ? 'Held as possibly a flood: the clock starts when the report is released.'
        : 'The project’s policy sets no first-response deadline.';
      break;
    default:
      detail = (
        <>
          {clock.status === 'overdue' || (clock.dueAt && Date.parse(clock.dueAt) <= now) ? 'Was due' : 'Due'}{' '}
          <DateTime value={clock.dueAt} />. Only a message to the reporter answers it; the automatic receipt
          and internal notes do not.
        </>
      );
  }
  return (
    <div
      className={`clock-banner clock-banner-${clock.status === 'asap' && describeClock(clock, now).tone === 'overdue' ? 'overdue' : clock.status}`}
      data-testid="clock-banner"
    >
      <p className="clock-banner-label">First response</p>
      <p className="clock-banner-value">
        <ClockText clock={clock} now={now} />
      </p>
      <p className="clock-banner-detail">{detail}</p>
    </div>
  );
}
