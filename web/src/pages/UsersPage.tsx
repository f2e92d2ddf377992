import { useState, type FormEvent } from 'react';
import { type ApiError, toApiError } from '../api/client.js';
import * as api from '../api/endpoints.js';
import type { ManagedUser } from '../api/types.js';
import { CopyField } from '../components/CopyField.js';
import { DateTime } from '../components/DateTime.js';
import { CheckboxField, Field } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Loading, Notice } from '../components/Status.js';
import { useResource, useTitle } from '../hooks.js';
import { useSignedIn } from '../session.js';

const LINK_WARNING =
  'Send this link to the person over a channel you trust. It works once and is not shown again; ' +
  'create a new one if it is lost.';

/** Administration of the instance's users: list, add, admin flag, disable, new sign-in link. */
export function UsersPage() {
  useTitle('Users');
  const me = useSignedIn().user;
  const users = useResource('users', (signal) => api.listUsers(signal));
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState('');

  async function act(user: ManagedUser, action: () => Promise<void>) {
    setBusyId(user.id);
    setError(undefined);
    setNotice('');
    try {
      await action();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusyId(null);
    }
  }

  function update(user: ManagedUser, patch: { isAdmin?: boolean; disabled?: boolean }, done: string) {
    void act(user, async () => {
      await api.updateUser(user.id, patch);
      setNotice(done);
      users.reload();
    });
  }

  function newLink(user: ManagedUser) {
    void act(user, async () => {
      const { signInLink } = await api.createSignInLink(user.id);
      setLink({ email: user.email, url: signInLink });
    });
  }

  const list = users.data?.users;
  return (
    <>
      <h1>Users</h1>
      <ProblemAlert error={users.error ?? error} />
      <Notice>{notice}</Notice>
      {link ? (
        <div className="panel panel-secret">
          <CopyField
            label={`One-time sign-in link for ${link.email}`}
            value={link.url}
            warning={LINK_WARNING}
          />
          <div className="actions">
            <button type="button" className="button-quiet" onClick={() => setLink(null)}>
              Done, hide the link
            </button>
          </div>
        </div>
      ) : null}
      {list ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} className={u.disabled ? 'muted-row' : undefined}>
                  <td>
                    {u.name}
                    {u.id === me.id ? <span className="badge">you</span> : null}
                  </td>
                  <td>{u.email}</td>
                  <td>{u.isAdmin ? 'Administrator' : 'User'}</td>
                  <td>{u.disabled ? <span className="badge badge-danger">Disabled</span> : 'Active'}</td>
                  <td>
                    <DateTime value={u.createdAt} />
                  </td>
                  <td className="row-actions">
                    {u.id === me.id ? null : (
                      <>
                        <button
                          type="button"
                          className="button-small"
                          disabled={busyId === u.id}
                          onClick={() =>
                            update(
                              u,
                              { isAdmin: !u.isAdmin },
                              u.isAdmin
                                ? `${u.email} is no longer an administrator.`
                                : `${u.email} is now an administrator.`,
                            )
                          }
                        >
                          {u.isAdmin ? 'Remove admin' : 'Make admin'}
                          <span className="visually-hidden"> ({u.email})</span>
                        </button>
                        <button
                          type="button"
                          className={u.disabled ? 'button-small' : 'button-small button-danger'}
                          disabled={busyId === u.id}
                          onClick={() =>
                            update(
                              u,
                              { disabled: !u.disabled },
                              u.disabled
                                ? `${u.email} can sign in again.`
                                : `${u.email} is disabled and signed out.`,
                            )
                          }
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                          <span className="visually-hidden"> ({u.email})</span>
                        </button>
                      </>
                    )}
                    <button
                      type="button"
                      className="button-small"
                      disabled={busyId === u.id}
                      onClick={() => newLink(u)}
                    >
                      New sign-in link<span className="visually-hidden"> ({u.email})</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : users.loading ? (
        <Loading what="Loading users" />
      ) : null}
      <NewUserForm
        onCreated={(created, url) => {
          setLink({ email: created.email, url });
          users.reload();
        }}
      />
    </>
  );
}

function NewUserForm({ onCreated }: { onCreated: (user: ManagedUser, signInLink: string) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createUser({ email: email.trim(), name: name.trim(), isAdmin });
      onCreated(created.user, created.signInLink);
      setEmail('');
      setName('');
      setIsAdmin(false);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="new-user-heading">
      <h2 id="new-user-heading">Add a user</h2>
      <p className="hint">
        They receive no mail from this form: you get a one-time sign-in link to send them.
      </p>
      <ProblemAlert error={error} />
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <Field label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <Field
          label="Email"
          type="email"
          required
          maxLength={320}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <CheckboxField
          label="Administrator (manages users and projects)"
          checked={isAdmin}
          onChange={(e) => setIsAdmin(e.target.checked)}
        />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </form>
    </section>
  );
}
