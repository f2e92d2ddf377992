import { useState, type FormEvent } from 'react';
import {
  addPasskey,
  listPasskeys,
  passkeysSupported,
  removePasskey,
  type Passkey,
} from '../../api/passkeys.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { useAsyncAction, useResource } from '../../hooks.js';

const NAME_MAX = 100;

/**
 * The account's passkeys: sign in with one instead of a password (the device checks it is you), or
 * use one as the second step after the password. Add one with this browser's authenticator, remove
 * one that is lost.
 */
export function Passkeys() {
  const passkeys = useResource('passkeys', (signal) => listPasskeys(signal));
  const [name, setName] = useState('');
  const { busy, error, run } = useAsyncAction();
  const [notice, setNotice] = useState('');
  const supported = passkeysSupported();

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    const label = name.trim();
    void run(async () => {
      const added = await addPasskey(label);
      setName('');
      setNotice(`The passkey “${added.name}” is added. You can now sign in with it.`);
      passkeys.reload();
    });
  }

  function remove(passkey: Passkey) {
    if (!window.confirm(`Remove the passkey “${passkey.name}”? It will no longer sign you in.`)) return;
    setNotice('');
    void run(async () => {
      await removePasskey(passkey.id);
      setNotice(`The passkey “${passkey.name}” is removed.`);
      passkeys.reload();
    });
  }

  return (
    <>
      <p className="hint">
        A passkey signs you in without a password: your device (a phone, a laptop, a security key) checks it
        is you with a fingerprint, face or PIN. It also serves as the second step after your password.
      </p>
      <ProblemAlert error={passkeys.error ?? error} />
      <Notice>{notice}</Notice>
      {passkeys.data ? (
        passkeys.data.length === 0 ? (
          <p className="empty">You have no passkeys.</p>
        ) : (
          <DataTable columns={['Name', 'Added', 'Last used', 'Synced']} actions>
            {passkeys.data.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>
                  <DateTime value={p.createdAt} />
                </td>
                <td>
                  <DateTime value={p.lastUsedAt} empty="never" />
                </td>
                <td>{p.backedUp ? 'Yes, between your devices' : 'No, this device only'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button-small button-danger"
                    disabled={busy}
                    onClick={() => remove(p)}
                  >
                    Remove<span className="visually-hidden"> the passkey {p.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )
      ) : passkeys.loading ? (
        <Loading what="Loading passkeys" />
      ) : null}
      {supported ? (
        <form className="inline-form" onSubmit={add}>
          <Field
            label="Passkey name"
            required
            maxLength={NAME_MAX}
            hint="Which device it is on, e.g. “Work laptop”."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Waiting for your device…' : 'Add a passkey'}
          </button>
        </form>
      ) : (
        <p className="hint">This browser cannot use passkeys.</p>
      )}
    </>
  );
}
