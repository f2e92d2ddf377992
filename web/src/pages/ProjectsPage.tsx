import { useState, type FormEvent } from 'react';
import * as api from '../api/endpoints.js';
import { DataTable } from '../components/DataTable.js';
import { DateTime } from '../components/DateTime.js';
import { Field, SelectField } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading } from '../components/Status.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { useAsyncAction, useResource, useTitle } from '../hooks.js';
import { Link, navigate } from '../router.js';
import { useAbility } from '../session.js';
import { DistributorsNotice } from './account/DistributorMemberships.js';
import { InvitationsNotice } from './account/Invitations.js';

/** The server's policy presets (its body takes any name and refuses an unknown one, listing these). */
const PRESETS = [
  {
    value: 'contour',
    label: 'Contour',
    summary: 'First response in 3 business days; distributors list and embargo.',
  },
  {
    value: 'sesame',
    label: 'Sesame',
    summary: 'First response in 3 business days; distributors list and embargo.',
  },
  { value: 'emissary', label: 'Emissary', summary: 'Round-robin Fix Lead; disclosure with the release.' },
  { value: 'k8spolicy', label: 'k8spolicy', summary: 'A single maintainer; disclosure with the release.' },
] as const;
type PolicyPreset = (typeof PRESETS)[number]['value'];

/** The projects the user may see, and for admins a form to create one. */
export function ProjectsPage() {
  useTitle('Projects');
  const canCreate = useAbility('instance.projects.create');
  const projects = useResource('projects', (signal) => api.listProjects(signal));

  return (
    <>
      <h1>Projects</h1>
      <InvitationsNotice />
      <DistributorsNotice />
      <ProblemAlert error={projects.error} />
      {projects.data ? (
        projects.data.projects.length === 0 ? (
          <p className="empty">
            {canCreate ? 'No projects yet. Create the first one below.' : 'You are not on any project yet.'}
          </p>
        ) : (
          <DataTable
            columns={['Project', 'Slug', { label: 'Policy version', numeric: true }, 'Last updated']}
          >
            {projects.data.projects.map((project) => (
              <tr key={project.slug}>
                <td>
                  <Link to={`/projects/${encodeURIComponent(project.slug)}`}>{project.name}</Link>
                </td>
                <td className="mono">{project.slug}</td>
                <td className="num">{project.policyVersion}</td>
                <td>
                  <DateTime value={project.updatedAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        )
      ) : projects.loading ? (
        <Loading what="Loading projects" />
      ) : null}
      {canCreate ? <NewProjectForm /> : null}
    </>
  );
}

function NewProjectForm() {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<PolicyPreset>('contour');
  const { busy, error, run } = useAsyncAction({ leavesPage: true });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const { project } = await api.createProject({ slug: slug.trim(), name: name.trim(), preset });
      navigate(`/projects/${encodeURIComponent(project.slug)}`);
    });
  }

  return (
    <Section className="panel" headingId="new-project-heading" title="New project">
      <ProblemAlert error={error} />
      <form className="form-grid" onSubmit={submit}>
        <Field label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <Field
          label="Slug"
          required
          minLength={2}
          maxLength={40}
          pattern="[a-z0-9][a-z0-9\-]*[a-z0-9]"
          hint="2 to 40 lower-case letters, digits and inner hyphens; used in addresses and mail."
          autoCapitalize="off"
          spellCheck={false}
          className="mono"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
        />
        <SelectField
          label="Policy preset"
          hint={`${PRESETS.find((p) => p.value === preset)?.summary ?? ''} You can edit the policy afterwards.`}
          value={preset}
          onChange={(e) => setPreset(e.target.value as PolicyPreset)}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </SelectField>
        <SubmitButton busy={busy} busyLabel="Creating…">
          Create project
        </SubmitButton>
      </form>
    </Section>
  );
}
