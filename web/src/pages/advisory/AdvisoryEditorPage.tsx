import { getAdvisory, startAdvisory } from '../../api/advisory.js';
import { casePath } from '../../cases/paths.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';
import { AdvisoryEditor, type PreviewsSlot } from './AdvisoryEditor.js';
import { StartAdvisory } from './AdvisorySection.js';
import './advisory.css';

interface AdvisoryEditorPageProps {
  humanId: string;
  /**
   * TEMPLATE PREVIEWS SLOT: renders the "Template previews" section of the page, e.g.
   * `(ctx) => <TemplatePreviews caseId={ctx.caseId} />` (web/src/pages/advisory-templates/).
   */
  previews?: PreviewsSlot | undefined;
}

/**
 * The advisory of a case: every field of the document, a live CVSS calculator per vector, the CWE
 * picker and the affected-version editor; saving sends the revision the edit started from, so a
 * concurrent save is reported (with the edits kept) instead of overwritten. Beside it: the CVE id
 * and state, the exports, the revision history with diffs, and the template previews.
 */
export function AdvisoryEditorPage({ humanId, previews }: AdvisoryEditorPageProps) {
  const found = useResource(`advisory:${humanId}`, (signal) => getAdvisory(humanId, signal));
  const start = useAsyncAction();
  useTitle(found.data ? `${found.data.advisoryId} · ${found.data.caseHumanId}` : `Advisory · ${humanId}`);

  const breadcrumb = (
    <p className="breadcrumb">
      <Link to="/cases">Cases</Link> <span aria-hidden="true">/</span>{' '}
      <Link to={casePath(humanId)}>{humanId}</Link> <span aria-hidden="true">/</span> Advisory
    </p>
  );

  if (!found.data) {
    if (found.error?.status === 404) {
      return (
        <>
          {breadcrumb}
          <h1>No advisory yet</h1>
          <p>Case {humanId} has no advisory, or you are not on its project’s security team.</p>
          <StartAdvisory
            action={start}
            onStart={() => void start.run(() => startAdvisory(humanId)).then((ok) => ok && found.reload())}
          />
        </>
      );
    }
    return found.error ? <ProblemAlert error={found.error} /> : <Loading what="Loading the advisory" />;
  }
  return (
    <>
      {breadcrumb}
      <AdvisoryEditor key={found.data.id} initial={found.data} previews={previews} />
    </>
  );
}
