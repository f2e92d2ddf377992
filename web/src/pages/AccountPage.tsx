import { useState, type FormEvent } from 'react';
import * as api from '../api/endpoints.js';
import type { ApiToken, CreatedApiToken } from '../api/types.js';
import { SecretPanel } from '../components/CopyField.js';
import { DataTable } from '../components/DataTable.js';
import { DateTime } from '../components/DateTime.js';
import { Field, SelectField } from '../components/Field.js';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading, Notice } from '../components/Status.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { useAsyncAction, useResource, useTitle } from '../hooks.js';
import { MAX_PASSWORD, MIN_PASSWORD } from '../passwords.js';
import { navigate } from '../router.js';
import { useSession, useSignedIn } from '../session.js';
import { AvailabilityForm } from './account/AvailabilityForm.js';
import { DistributorMemberships } from './account/DistributorMemberships.js';
import { NotificationSettings } from './account/NotificationSettings.js';
import { PendingInvitations } from './account/Invitations.js';
import { Passkeys } from './account/Passkeys.js';
import { TwoFactorSettings } from './account/TwoFactor.js';

/**
 * The signed-in user's own settings: pending invitations to cases (with their embargo terms), their
 * distributors lists (the embargo policy to accept, vouch requests, the leak form),
 * how they hear of team events (mail, digest, none), availability for the Fix Lead rotation, password, passkeys, two-factor sign-in, API tokens, sessions.
 */
export function AccountPage() {
  useTitle('Account');
  const { user } = useSignedIn();
  return (
    <>
      <h1>Account</h1>
      <p className="meta">
        Signed in as {user.name} ({user.email}){user.isAdmin ? ', an administrator of this instance' : ''}.
      </p>
      <Section className="panel" headingId="invitations-heading" title="Invitations to cases">
        <PendingInvitations />
      </Section>
      <Section className="panel" headingId="distributors-lists-heading" title="Distributors lists">
        <DistributorMemberships />
      </Section>
      <Section className="panel" headingId="notification-settings-heading" title="Notifications">
        <NotificationSettings />
      </Section>
      <Section className="panel" headingId="availability-heading" title="Availability">
        <AvailabilityForm />
      </Section>
      <Section className="panel" headingId="password-heading" title="Change password">
        <ChangePasswordForm />
      </Section>
      <Section className="panel" headingId="passkeys-heading" title="Passkeys">
        <Passkeys />
      </Section>
      <Section className="panel" headingId="two-factor-heading" title="Two-factor sign-in">
        <TwoFactorSettings />
      </Section>
      <Section className="panel" headingId="tokens-heading" title="API tokens">
        <Tokens />
      </Section>
      <Section className="panel" headingId="sessions-heading" title="Sessions">
        <SignOutEverywhere />
      </Section>
    </>
  );
}

function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const { busy, error, run } = useAsyncAction();
  const [done, setDone] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    if (!newPassword.check()) return;
    void run(async () => {
      await api.changePassword(current, newPassword.password);
      setCurrent('');
      newPassword.clear();
      setDone(true);
    });
  }

  return (
    <>
      <ProblemAlert error={error} title={error ? 'The password was not changed' : undefined} />
      <Notice>{done ? 'Your password is changed.' : ''}</Notice>
      <form className="form-grid" onSubmit={submit}>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={MAX_PASSWORD}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordFields state={newPassword} hint={`At least ${MIN_PASSWORD} characters.`} />
        <SubmitButton busy={busy} busyLabel="Changing…">
          Change password
        </SubmitButton>
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
  const { busy, error, run } = useAsyncAction();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [notice, setNotice] = useState('');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    void run(async () => {
      setCreated(await api.createToken(name.trim(), expiry ? Number(expiry) : undefined));
      setName('');
      tokens.reload();
    });
  }

  function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke the token “${token.name}”? Anything using it stops working at once.`)) return;
    setNotice('');
    void run(async () => {
      await api.revokeToken(token.id);
      if (created?.id === token.id) setCreated(null);
      setNotice(`The token “${token.name}” is revoked.`);
      tokens.reload();
    });
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
        <SecretPanel
          label={`Your new token “${created.name}”`}
          value={created.token}
          warning="Copy it now and keep it somewhere safe: Vigil stores only a hash and will not show it again."
          hideLabel="Done, hide the token"
          onHide={() => setCreated(null)}
        />
      ) : null}
      {tokens.data ? (
        tokens.data.tokens.length === 0 ? (
          <p className="empty">You have no API tokens.</p>
        ) : (
          <DataTable columns={['Name', 'Starts with', 'Created', 'Expires', 'Last used', 'Status']} actions>
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
                        onClick={() => revoke(t)}
                      >
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )
      ) : tokens.loading ? (
        <Loading what="Loading tokens" />
      ) : null}
      <form className="inline-form" onSubmit={create}>
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
  const { busy, error, run } = useAsyncAction({ leavesPage: true });

  function signOutEverywhere() {
    if (!window.confirm('Sign out of Vigil on every device and browser, including this one?')) return;
    void run(async () => {
      await api.signOutEverywhere();
      forget();
      navigate('/sign-in');
    });
  }

  return (
    <>
      <p>Lost a device, or signed in somewhere you should not have? End every session of your account.</p>
      <ProblemAlert error={error} />
      <div className="actions">
        <button type="button" className="button-danger" disabled={busy} onClick={signOutEverywhere}>
          Sign out everywhere
        </button>
      </div>
    </>
  );
}
