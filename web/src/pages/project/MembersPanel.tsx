import { useState, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import type { Member, MemberRequest, ProjectRole } from '../../api/types.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
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
  /** Requests to join, waiting for a member's approval (shown to those who manage members). */
  requests: MemberRequest[];
  /** May remove members (an admin). */
  canManage: boolean;
  /** May add someone, or ask to (an admin or a member). */
  canRequest: boolean;
  /** A current member: may approve or decline another's request. */
  canApprove: boolean;
  /** The signed-in user, who may not approve their own request nor their own joining. */
  selfId: string;
  onChanged: () => void;
}

/**
 * The project's security team, with add and remove for those allowed to manage it. Adding someone
 * to a team that has members is a request, which another current member approves here.
 */
export function MembersPanel({
  slug,
  members,
  requests,
  canManage,
  canRequest,
  canApprove,
  selfId,
  onChanged,
}: MembersPanelProps) {
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
    setNotice('');
    const added = await run(async () => {
      const r = await api.addMember(slug, address, 'security-team');
      setNotice(
        r.status === 'pending'
          ? `Asked to add ${address}: another member of the security team must approve before they join.`
          : r.status === 'already-member'
            ? `${address} is already on the security team.`
            : `Added ${address} to the security team.`,
      );
      onChanged();
    });
    if (added) setEmail('');
  }

  function decide(request: MemberRequest, approve: boolean) {
    void change(
      () =>
        approve ? api.approveMemberRequest(slug, request.id) : api.declineMemberRequest(slug, request.id),
      approve
        ? `Approved: ${request.email} joined the security team.`
        : `Declined: ${request.email} was not added.`,
    );
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
      {requests.length > 0 ? (
        <>
          <h3 id="member-requests-heading">Waiting for approval</h3>
          <p>
            Nobody joins the security team without the approval of another current member. Every change is
            mailed to the team.
          </p>
          <DataTable columns={['Name', 'Email', 'Asked by', 'Asked at']} actions={canApprove}>
            {requests.map((r) => {
              const own = r.userId === selfId || r.requestedBy?.id === selfId;
              return (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{r.email}</td>
                  <td>{r.requestedBy ? r.requestedBy.name : 'The operator'}</td>
                  <td>
                    <DateTime value={r.createdAt} />
                  </td>
                  {canApprove ? (
                    <td className="row-actions">
                      {own ? (
                        <span>Another member decides</span>
                      ) : (
                        <button
                          type="button"
                          className="button-small"
                          disabled={busy}
                          onClick={() => decide(r, true)}
                        >
                          Approve<span className="visually-hidden"> {r.email}</span>
                        </button>
                      )}
                      <button
                        type="button"
                        className="button-small"
                        disabled={busy}
                        onClick={() => decide(r, false)}
                      >
                        Decline<span className="visually-hidden"> {r.email}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </DataTable>
        </>
      ) : null}
      {canRequest ? (
        <form className="inline-form" onSubmit={(e) => void add(e)}>
          <Field
            label="Add a member by email"
            hint="They need a Vigil account; an administrator can add one on the Users page. When the team has members, another member must approve."
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
