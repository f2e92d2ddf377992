import * as embargo from '../../api/embargo.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { browserTimeZone } from '../../embargo/zoned-time.js';
import { useResource } from '../../hooks.js';
import { DateAnswerForm, DateNegotiation } from '../case/disclosure/DateNegotiation.js';

/**
 * The disclosure date on the reporter's private page (PROCESS.md §7): the date the team proposes
 * or decided, and, when the policy negotiates with the reporter, their answer (accept, object with
 * a reason, or another instant). Nothing shows before the team proposes a date.
 */
export function ReporterDisclosureDate({ token }: { token: string }) {
  const found = useResource(`reporter-date:${token}`, (signal) =>
    embargo.getReporterDisclosureDate(token, signal),
  );
  const view = found.data;
  if (found.error)
    return <ProblemAlert error={found.error} title="The disclosure date could not be loaded" />;
  if (!view || (view.proposals.length === 0 && !view.decision)) return null;
  return (
    <Section headingId="date-heading" title="Disclosure date">
      <p className="hint">
        When your report becomes public. The security team proposes a date and has the final say; you can
        accept it, object, or propose another.
      </p>
      <DateNegotiation view={view} />
      {view.abilities.respond
        ? view.proposals
            .filter((p) => p.open)
            .map((p) => (
              <DateAnswerForm
                key={p.id}
                proposal={p}
                zones={[browserTimeZone(), view.projectTimeZone]}
                onAnswer={async (a) => {
                  await embargo.answerReporterDisclosureDate(token, a);
                  found.reload();
                }}
              />
            ))
        : null}
    </Section>
  );
}
