import { useState, type FormEvent } from 'react';
import * as api from '../api/endpoints.js';
import type { ManagedUser } from '../api/types.js';
import { SecretPanel } from '../components/CopyField.js';
import { DataTable } from '../components/DataTable.js';
import { DateTime } from '../components/DateTime.js';
import { CheckboxField, Field } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading, Notice } from '../components/Status.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { useAsyncAction, useResource, useTitle } from '../hooks.js';
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
  const { busy, error, run } = useAsyncAction();
  // The user whose row the running action is about: only that row's buttons wait for it.
  const [actingOn, setActingOn] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  function act(user: ManagedUser, action: () => Promise<void>) {
    setActingOn(user.id);
    setNotice('');
    void run(action);
  }

  function update(user: ManagedUser, patch: { isAdmin?: boolean; disabled?: boolean }, done: string) {
    act(user, async () => {
      await api.updateUser(user.id, patch);
      setNotice(done);
      users.reload();
    });
  }

  function newLink(user: ManagedUser) {
    act(user, async () => {
      const { signInLink } = await api.createSignInLink(user.id);
      setLink({ email: user.email, url: signInLink });
    });
  }

  const list = users.data?.users;
  const waiting = (user: ManagedUser) => busy && actingOn === user.id;
  return (
    <>
      <h1>Users</h1>
      <ProblemAlert error={users.error ?? error} />
      <Notice>{notice}</Notice>
      {link ? (
        <SecretPanel
          label={`One-time sign-in link for ${link.email}`}
          value={link.url}
          warning={LINK_WARNING}
          hideLabel="Done, hide the link"
          onHide={() => setLink(null)}
        />
      ) : null}
      {list ? (
        <DataTable columns={['Name', 'Email', 'Role', 'Status', 'Added']} actions>
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
                      disabled={waiting(u)}
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
                      disabled={waiting(u)}
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
                  disabled={waiting(u)}
                  onClick={() => newLink(u)}
                >
                  New sign-in link<span className="visually-hidden"> ({u.email})</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
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
  const { busy, error, run } = useAsyncAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const created = await api.createUser({ email: email.trim(), name: name.trim(), isAdmin });
      onCreated(created.user, created.signInLink);
      setEmail('');
      setName('');
      setIsAdmin(false);
      window.scrollTo(0, 0);
    });
  }

  return (
    <Section className="panel" headingId="new-user-heading" title="Add a user">
      <p className="hint">
        They receive no mail from this form: you get a one-time sign-in link to send them.
      </p>
      <ProblemAlert error={error} />
      <form className="form-grid" onSubmit={submit}>
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
        <SubmitButton busy={busy} busyLabel="Adding…">
          Add user
        </SubmitButton>
      </form>
    </Section>
  );
}
