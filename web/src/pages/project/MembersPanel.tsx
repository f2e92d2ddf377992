import { useState, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import type { Member, ProjectRole } from '../../api/types.js';
import { DataTable } from '../../components/DataTable.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Notice } from '../../components/Status.js';
import { useAsyncAction } from '../../hooks.js';

/** The roles this UI knows, in words: a role the server adds later is shown by its name. */
const ROLE_LABELS: Record<ProjectRole, string> = { 'security-team': 'Security team' };

function isProjectRole(role: string): role is ProjectRole {
  return Object.hasOwn(ROLE_LABELS, role);
}

interface MembersPanelProps {
  slug: string;
  members: Member[];
  canManage: boolean;
  onChanged: () => void;
}

/** The project's security team, with add and remove for those allowed to manage it. */
export function MembersPanel({ slug, members, canManage, onChanged }: MembersPanelProps) {
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAsyncAction();
  const [notice, setNotice] = useState('');

  function change(action: () => Promise<unknown>, done: string): Promise<boolean> {
    setNotice('');
    return run(async () => {
      await action();
      setNotice(done);
      onChanged();
    });
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    const added = await change(
      () => api.addMember(slug, address, 'security-team'),
      `Added ${address} to the security team.`,
    );
    if (added) setEmail('');
  }

  function remove(member: Member, role: ProjectRole) {
    if (!window.confirm(`Remove ${member.name} (${member.email}) from the security team?`)) return;
    void change(
      () => api.removeMember(slug, member.userId, role),
      `Removed ${member.email} from the security team.`,
    );
  }

  return (
    <>
      <ProblemAlert error={error} />
      <Notice>{notice}</Notice>
      {members.length === 0 ? (
        <p className="empty">Nobody is on the security team yet.</p>
      ) : (
        <DataTable columns={['Name', 'Email', 'Role']} actions={canManage}>
          {members.map((m) => {
            const role = isProjectRole(m.role) ? m.role : null;
            return (
              <tr key={`${m.userId}:${m.role}`}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{role ? ROLE_LABELS[role] : m.role}</td>
                {canManage ? (
                  <td className="row-actions">
                    {role ? (
                      <button
                        type="button"
                        className="button-small"
                        disabled={busy}
                        onClick={() => remove(m, role)}
                      >
                        Remove<span className="visually-hidden"> {m.email}</span>
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </DataTable>
      )}
      {canManage ? (
        <form className="inline-form" onSubmit={(e) => void add(e)}>
          <Field
            label="Add a member by email"
            hint="They need a Vigil account; an administrator can add one on the Users page."
            type="email"
            required
            maxLength={320}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            Add member
          </button>
        </form>
      ) : null}
    </>
  );
}
