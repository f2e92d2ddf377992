import { useState, type FormEvent } from 'react';
import { type ApiError, toApiError } from '../api/client.js';
import * as api from '../api/endpoints.js';
import type { ApiToken, CreatedApiToken } from '../api/types.js';
import { CopyField } from '../components/CopyField.js';
import { DateTime } from '../components/DateTime.js';
import { Field, SelectField } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Loading, Notice } from '../components/Status.js';
import { useResource, useTitle } from '../hooks.js';
import { checkNewPassword, MAX_PASSWORD, MIN_PASSWORD } from '../passwords.js';
import { navigate } from '../router.js';
import { useSession, useSignedIn } from '../session.js';

/** The signed-in user's own settings: password, API tokens, sessions. */
export function AccountPage() {
  useTitle('Account');
  const { user } = useSignedIn();
  return (
    <>
      <h1>Account</h1>
      <p className="meta">
        Signed in as {user.name} ({user.email}){user.isAdmin ? ', an administrator of this instance' : ''}.
      </p>
      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ChangePasswordForm />
      </section>
      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <Tokens />
      </section>
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <SignOutEverywhere />
      </section>
    </>
  );
}

function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPassword(next, confirmation);
    setInvalid(problem);
    setDone(false);
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirmation('');
      setDone(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ProblemAlert error={error} title={error ? 'The password was not changed' : undefined} />
      <Notice>{done ? 'Your password is changed.' : ''}</Notice>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={MAX_PASSWORD}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          maxLength={MAX_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters.`}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          maxLength={MAX_PASSWORD}
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
          aria-invalid={invalid ? true : undefined}
        />
        {invalid ? (
          <p className="field-error" role="alert">
            {invalid}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </>
  );
}

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
];

function tokenStatus(token: ApiToken): string {
  if (token.revokedAt) return 'Revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return 'Expired';
  return 'Active';
}

function Tokens() {
  const tokens = useResource('tokens', (signal) => api.listTokens(signal));
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [notice, setNotice] = useState('');

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      setCreated(await api.createToken(name.trim(), expiry ? Number(expiry) : undefined));
      setName('');
      tokens.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke the token “${token.name}”? Anything using it stops working at once.`)) return;
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      await api.revokeToken(token.id);
      if (created?.id === token.id) setCreated(null);
      setNotice(`The token “${token.name}” is revoked.`);
      tokens.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="hint">
        For scripts and integrations: send a token as <code>Authorization: Bearer vgl_…</code>. It acts as
        you.
      </p>
      <ProblemAlert error={tokens.error ?? error} />
      <Notice>{notice}</Notice>
      {created ? (
        <div className="panel panel-secret">
          <CopyField
            label={`Your new token “${created.name}”`}
            value={created.token}
            warning="Copy it now and keep it somewhere safe: Vigil stores only a hash and will not show it again."
          />
          <div className="actions">
            <button type="button" className="button-quiet" onClick={() => setCreated(null)}>
              Done, hide the token
            </button>
          </div>
        </div>
      ) : null}
      {tokens.data ? (
        tokens.data.tokens.length === 0 ? (
          <p className="empty">You have no API tokens.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((t) => {
                  const status = tokenStatus(t);
                  return (
                    <tr key={t.id} className={status === 'Active' ? undefined : 'muted-row'}>
                      <td>{t.name}</td>
                      <td className="mono">{t.prefix}…</td>
                      <td>
                        <DateTime value={t.createdAt} />
                      </td>
                      <td>
                        <DateTime value={t.expiresAt} empty="never" />
                      </td>
                      <td>
                        <DateTime value={t.lastUsedAt} empty="never" />
                      </td>
                      <td>{status}</td>
                      <td className="row-actions">
                        {status === 'Active' ? (
                          <button
                            type="button"
                            className="button-small button-danger"
                            disabled={busy}
                            onClick={() => void revoke(t)}
                          >
                            Revoke<span className="visually-hidden"> {t.name}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : tokens.loading ? (
        <Loading what="Loading tokens" />
      ) : null}
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <Field
          label="Token name"
          required
          maxLength={100}
          hint="What it is for, e.g. “CI release job”."
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField label="Expires after" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </form>
    </>
  );
}

function SignOutEverywhere() {
  const { forget } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function run() {
    if (!window.confirm('Sign out of Vigil on every device and browser, including this one?')) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.signOutEverywhere();
      forget();
      navigate('/sign-in');
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  return (
    <>
      <p>Lost a device, or signed in somewhere you should not have? End every session of your account.</p>
      <ProblemAlert error={error} />
      <div className="actions">
        <button type="button" className="button-danger" disabled={busy} onClick={() => void run()}>
          Sign out everywhere
        </button>
      </div>
    </>
  );
}
