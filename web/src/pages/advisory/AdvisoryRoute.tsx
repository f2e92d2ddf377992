import { lazy, Suspense } from 'react';
import { Loading } from '../../components/Status.js';
import { TemplatePreviews } from '../advisory-templates/TemplatePreviews.js';

// The editor (and the CVSS library it scores with) loads only when an advisory is opened.
const AdvisoryEditorPage = lazy(() =>
  import('./AdvisoryEditorPage.js').then((m) => ({ default: m.AdvisoryEditorPage })),
);

/** The route `/cases/:humanId/advisory`: the advisory editor, loaded on demand. */
export function AdvisoryRoute({ humanId }: { humanId: string }) {
  return (
    <Suspense fallback={<Loading what="Loading the advisory editor" />}>
      <AdvisoryEditorPage
        humanId={humanId}
        previews={(ctx) => <TemplatePreviews caseId={ctx.caseId} revision={ctx.revision} dirty={ctx.dirty} />}
      />
    </Suspense>
  );
}
