import { useId } from 'react';
import { browserProblem, type ApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import type { ProjectKey } from '../../cases/encrypt-report.js';
import { formatFingerprint } from '../../cases/report-encryption.js';
import { CheckboxField } from '../../components/Field.js';
import { Alert, Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';

/** Where the project's key stands for the form: not wanted, on its way, ready, or unavailable. */
export type KeyState =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'ready'; key: ProjectKey }
  | { status: 'failed'; error: ApiError };

/** Fetches the project's published key and the OpenPGP code, as one step that fails in words. */
async function loadProjectKey(slug: string, signal: AbortSignal): Promise<ProjectKey> {
  const [armored, openpgp] = await Promise.all([
    api.getProjectPublicKey(slug, signal),
    // A chunk that fails to load (the app was updated meanwhile, the connection dropped).
    import('../../cases/encrypt-report.js').catch(() => {
      throw browserProblem(
        'The encryption code could not be loaded',
        'Check your connection, then try again.',
      );
    }),
  ]);
  try {
    return await openpgp.readProjectKey(armored);
  } catch (err) {
    throw browserProblem(
      'The published key cannot be used to encrypt',
      err instanceof Error ? err.message : undefined,
    );
  }
}

/**
 * The project's key while `enabled`: fetched from its same-origin published path with the OpenPGP
 * code (loaded only now), and `reload` to fetch it again (after a refusal, or a failure).
 */
export function useProjectKey(slug: string, enabled: boolean): { state: KeyState; reload: () => void } {
  const resource = useResource(enabled ? `project-key:${slug}` : 'project-key:off', (signal) =>
    enabled ? loadProjectKey(slug, signal) : Promise.resolve(null),
  );
  let state: KeyState;
  if (!enabled) state = { status: 'off' };
  else if (resource.data && !resource.loading) state = { status: 'ready', key: resource.data };
  else if (resource.error && !resource.loading) state = { status: 'failed', error: resource.error };
  else state = { status: 'loading' };
  return { state, reload: resource.reload };
}

interface EncryptionChoiceProps {
  projectName: string;
  publicKeyUrl: string;
  enabled: boolean;
  onChange: (enabled: boolean) => void;
  keyState: KeyState;
  onRetry: () => void;
}

/**
 * "Encrypt in my browser": the checkbox, what it protects against, and the key's fingerprint for
 * a careful reporter to compare with the one the project publishes; or why the key is missing.
 */
export function EncryptionChoice({
  projectName,
  publicKeyUrl,
  enabled,
  onChange,
  keyState,
  onRetry,
}: EncryptionChoiceProps) {
  const hintId = useId();
  return (
    <fieldset data-testid="encryption">
      <legend>How your report travels</legend>
      <CheckboxField
        label="Encrypt in my browser"
        checked={enabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hintId}
      />
      <p id={hintId} className="hint">
        Your report and its files are then encrypted on this device to the {projectName} security team’s
        OpenPGP key: only that key opens it, and no proxy or network in between can read it.
      </p>
      {keyState.status === 'loading' ? <Loading what="Fetching the security team’s key" /> : null}
      {keyState.status === 'ready' ? (
        <div className="key-details">
          <p>
            Encrypting to the key with fingerprint{' '}
            <code className="mono fingerprint" data-testid="key-fingerprint">
              {formatFingerprint(keyState.key.fingerprint)}
            </code>
          </p>
          <p className="hint">
            To be sure it is the team’s key, compare this fingerprint with the one the project publishes, or
            fetch <a href={publicKeyUrl}>the published key</a> yourself.
          </p>
        </div>
      ) : null}
      {keyState.status === 'failed' ? (
        <Alert tone="warning" title="The security team’s key could not be loaded">
          <p>
            {keyState.error.problem.title}
            {keyState.error.problem.detail ? `: ${keyState.error.problem.detail}` : '.'}
          </p>
          <p>
            If you send the report now, it goes without encryption in the browser, protected only by your
            connection to this site.
          </p>
          <button type="button" className="button-small" onClick={onRetry}>
            Try loading the key again
          </button>
        </Alert>
      ) : null}
      {keyState.status === 'off' ? (
        <p className="hint">
          Without it, the report is protected only by your connection to this site, as any web form is.
        </p>
      ) : null}
    </fieldset>
  );
}
