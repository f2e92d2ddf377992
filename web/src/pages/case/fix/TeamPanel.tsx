import { FormActions } from '../../../components/FormActions.js';
import { ReasonField } from './ReasonField.js';
import { useState, type FormEvent } from 'react';
import * as fix from '../../../api/fix.js';
import type { CaseMember, InvitedMember, InvitedRole } from '../../../api/fix.js';
import { FIX_OPEN_STATES, type CaseDetail } from '../../../api/types.js';
import { SecretPanel } from '../../../components/CopyField.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field, SelectField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Section } from '../../../components/Section.js';
import { Loading, Notice } from '../../../components/Status.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource } from '../../../hooks.js';

const ROLES: { value: InvitedRole; label: string; hint: string }[] = [
  { value: 'fix-team', label: 'Fix Team engineer', hint: 'develops and reviews the fix' },
  { value: 'collaborator', label: 'Outside collaborator', hint: 'e.g. an upstream maintainer' },
  { value: 'reporter', label: 'The reporter', hint: 'sees the advisory draft and the fix' },
];

/** A member's role in words. */
export function memberRoleLabel(role: string): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

function statusText(m: CaseMember): string {
  if (m.status === 'pending') return 'invited, terms not accepted yet';
  if (m.status === 'active') return 'active';
  return m.endedReason === 'published' ? 'access ended at publication' : 'removed';
}

/**
 * The people invited to this one case (PROCESS.md §6): Fix Team engineers, outside collaborators,
 * the reporter. The Fix Lead invites by email (an account is made for a new address) and hands on
 * the link shown once; each invitee accepts the embargo terms before seeing anything. Removing
 * someone ends their access at once, for a reason kept encrypted with the case.
 */
export function TeamPanel({ c }: { c: CaseDetail }) {
  const members = useResource(`case-members:${c.id}:${c.state}`, (signal) =>
    fix.listCaseMembers(c.id, signal),
  );
  const [invited, setInvited] = useState<{ email: string; answer: InvitedMember } | null>(null);
  const [removing, setRemoving] = useState<CaseMember | null>(null);
  const [notice, setNotice] = useState('');
  const canManage = c.abilities['case.members.manage'] && FIX_OPEN_STATES.includes(c.state);

  return (
    <Section headingId="fix-team-heading" title="Fix Team" className="fix-part">
      <p className="hint">
        People invited to this case alone see its report, its advisory draft and its fix repository, and
        nothing else of the project. Their access ends when the case is published.
      </p>
      <Notice>{notice}</Notice>
      {invited ? (
        <SecretPanel
          label={`Invitation link for ${invited.email}`}
          value={invited.answer.invitationUrl}
          warning={
            invited.answer.newAccount
              ? 'A new account: the link signs them in once to set a password. Vigil mails it to them too; hand it on privately if the mail does not arrive. It is not shown again.'
              : 'The link to their invitations. Vigil mails it to them too. It is not shown again.'
          }
          hideLabel="Done, hide the link"
          onHide={() => setInvited(null)}
        />
      ) : null}
      <ProblemAlert error={members.error} title="The members could not be loaded" />
      {members.data ? (
        <MemberTable members={members.data.members} canManage={canManage} onRemove={setRemoving} />
      ) : members.loading ? (
        <Loading what="Loading the members" />
      ) : null}
      {removing ? (
        <RemoveForm
          c={c}
          member={removing}
          onCancel={() => setRemoving(null)}
          onRemoved={(message) => {
            setRemoving(null);
            setNotice(message);
            members.reload();
          }}
        />
      ) : null}
      {canManage ? (
        <InviteForm
          c={c}
          onInvited={(email, answer) => {
            setInvited({ email, answer });
            setNotice('');
            members.reload();
          }}
        />
      ) : null}
    </Section>
  );
}

function MemberTable({
  members,
  canManage,
  onRemove,
}: {
  members: CaseMember[];
  canManage: boolean;
  onRemove: (m: CaseMember) => void;
}) {
  if (members.length === 0) return <p className="empty">Nobody is invited to this case yet.</p>;
  return (
    <DataTable
      columns={['Name', 'Email', 'Role', 'Status', 'Invited']}
      actions={canManage}
      data-testid="case-members"
    >
      {members.map((m) => (
        <tr key={m.memberId} className={m.status === 'ended' ? 'muted-row' : undefined}>
          <td>{m.name}</td>
          <td>{m.email}</td>
          <td>{memberRoleLabel(m.role)}</td>
          <td>{statusText(m)}</td>
          <td className="nowrap">
            <DateTime value={m.invitedAt} />
          </td>
          {canManage ? (
            <td className="row-actions">
              {m.status === 'ended' ? null : (
                <button type="button" className="button-small button-danger" onClick={() => onRemove(m)}>
                  {m.status === 'pending' ? 'Withdraw' : 'Remove'}
                  <span className="visually-hidden"> {m.name}</span>
                </button>
              )}
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}

function InviteForm({
  c,
  onInvited,
}: {
  c: CaseDetail;
  onInvited: (email: string, answer: InvitedMember) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitedRole>('fix-team');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['email', 'role']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    void run(async () => {
      const answer = await fix.inviteCaseMember(c.id, address, role);
      setEmail('');
      onInvited(address, answer);
    });
  }

  return (
    <form className="stack invite-form" onSubmit={submit} aria-label="Invite someone to the case">
      <h3>Invite someone</h3>
      <ProblemAlert
        error={error}
        title={error ? 'Nobody was invited' : undefined}
        issues={issues.unclaimed}
      />
      <div className="inline-form">
        <Field
          label="Email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={issues.message('email', 'The email')}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(ROLES.find((r) => r.value === e.target.value)?.value ?? 'fix-team')}
          error={issues.message('role', 'The role')}
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label} ({r.hint})
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
    </form>
  );
}

interface RemoveFormProps {
  c: CaseDetail;
  member: CaseMember;
  onCancel: () => void;
  onRemoved: (notice: string) => void;
}

function RemoveForm({ c, member, onCancel, onRemoved }: RemoveFormProps) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAsyncAction();
  const verb = member.status === 'pending' ? 'Withdraw the invitation of' : 'Remove';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await fix.removeCaseMember(c.id, member.memberId, reason.trim());
      onRemoved(
        member.status === 'pending'
          ? `The invitation of ${member.name} is withdrawn.`
          : `${member.name} no longer has access to ${c.humanId}.`,
      );
    });
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label={`${verb} ${member.name}`}>
      <h3>
        {verb} {member.name}
      </h3>
      <ProblemAlert error={error} title={error ? 'Nothing was changed' : undefined} />
      <ReasonField
        hint="Kept encrypted with the case (the audit log records the removal, not your words). Their access ends at once."
        value={reason}
        onChange={setReason}
      />
      <FormActions
        busy={busy}
        label={verb === 'Remove' ? 'Remove from the case' : 'Withdraw the invitation'}
        tone="danger"
        onCancel={onCancel}
      />
    </form>
  );
}
