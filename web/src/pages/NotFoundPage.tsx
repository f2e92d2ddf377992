import { useTitle } from '../hooks.js';
import { Link } from '../router.js';

/** Any path the app does not know, or a page the user may not see. */
export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        This page does not exist, or you do not have access to it.{' '}
        <Link to="/projects">Go to your projects</Link>
      </p>
    </>
  );
}
