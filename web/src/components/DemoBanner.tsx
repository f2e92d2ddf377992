import { getInstanceInfo } from '../api/endpoints.js';
import { useResource } from '../hooks.js';

/**
 * On a demo instance (`vigil demo`), the notice that its data is made up, at the top of every page
 * of the app (the server-rendered pages carry the same one). Nothing otherwise, also while loading.
 */
export function DemoBanner() {
  const info = useResource('instance', (signal) => getInstanceInfo(signal));
  if (!info.data?.demo) return null;
  return (
    <aside className="demo-banner" aria-label="Demo instance" data-testid="demo-banner">
      <p>
        <strong>Demo instance:</strong> the data here is made up.
      </p>
    </aside>
  );
}
