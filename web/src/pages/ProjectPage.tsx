import { useState } from 'react';
import * as api from '../api/endpoints.js';
import { DateTime } from '../components/DateTime.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading } from '../components/Status.js';
import { useResource, useTitle } from '../hooks.js';
import { Link } from '../router.js';
import { useSignedIn } from '../session.js';
import { MembersPanel } from './project/MembersPanel.js';
import { ResponsePanel } from './project/ResponsePanel.js';
import { TimelinePanel } from './project/TimelinePanel.js';
import { PolicyEditor, type RestoreRequest } from './project/PolicyEditor.js';
import { VersionHistory } from './project/VersionHistory.js';
import { TemplatesPanel } from './advisory-templates/TemplatesPanel.js';
import { DistributorsPanel } from './project/distributors/DistributorsPanel.js';
import { WebhooksPanel } from './project/WebhooksPanel.js';

/**
 * One project: how fast its team responds (with links to its cases and public form), the phase
 * timeline of its cases in the fix phase, its policy
 * (editor and SECURITY.md preview), the policy's history, its distributors list, its team.
 */
export function ProjectPage({ slug }: { slug: string }) {
  const project = useResource(`project:${slug}`, (signal) => api.getProject(slug, signal));
  const [viewedVersion, setViewedVersion] = useState<number | null>(null);
  const [restore, setRestore] = useState<RestoreRequest | null>(null);
  const session = useSignedIn();
  useTitle(project.data?.name ?? 'Project');

  if (!project.data) {
    if (project.error?.status === 404) {
      return (
        <>
          <h1>Project not found</h1>
          <p>
            There is no project “{slug}”, or you are not on its team. <Link to="/projects">All projects</Link>
          </p>
        </>
      );
    }
    return project.error ? <ProblemAlert error={project.error} /> : <Loading what="Loading the project" />;
  }

  const p = project.data;
  const isTeam = p.members.some((m) => m.userId === session.user.id);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">/</span>{' '}
        <span className="mono">{p.slug}</span>
      </p>
      <h1>{p.name}</h1>
      <p className="meta">
        <span data-testid="policy-version">Policy version {p.policyVersion}</span>
        <span aria-hidden="true"> · </span>
        updated <DateTime value={p.updatedAt} />
      </p>
      <ProblemAlert error={project.error} title="The project could not be refreshed" />

      <Section headingId="response-heading" title="Response">
        <ResponsePanel slug={p.slug} isTeam={isTeam} />
      </Section>

      {isTeam ? (
        <Section headingId="timeline-heading" title="Phase timeline">
          <TimelinePanel slug={p.slug} />
        </Section>
      ) : null}

      <Section headingId="policy-heading" title="Disclosure policy">
        <PolicyEditor
          slug={p.slug}
          policy={p.policy}
          canEdit={p.abilities['project.policy.update']}
          onSaved={project.reload}
          onReloadRequested={project.reload}
          restore={restore}
        />
      </Section>

      <Section headingId="history-heading" title="Policy history">
        <VersionHistory
          slug={p.slug}
          currentVersion={p.policyVersion}
          selected={viewedVersion}
          onSelect={setViewedVersion}
          onRestore={
            p.abilities['project.policy.update']
              ? (v) => {
                  setRestore({ yaml: v.yaml, version: v.version, nonce: Date.now() });
                  document.getElementById('policy-heading')?.scrollIntoView();
                }
              : null
          }
        />
      </Section>

      <Section headingId="advisory-templates-heading" title="Advisory templates">
        <TemplatesPanel slug={p.slug} canEdit={p.abilities['advisory.templates.edit']} />
      </Section>

      {p.abilities['distributors.read'] ? (
        <Section headingId="distributors-heading" title="Distributors">
          <DistributorsPanel slug={p.slug} canManage={p.abilities['distributors.manage']} />
        </Section>
      ) : null}
      {p.abilities['project.webhooks.manage'] ? (
        <Section headingId="webhooks-heading" title="Webhooks">
          <WebhooksPanel slug={p.slug} />
        </Section>
      ) : null}

      <Section headingId="team-heading" title="Security team">
        <MembersPanel
          slug={p.slug}
          members={p.members}
          requests={p.memberRequests}
          canManage={p.abilities['project.members.manage']}
          canRequest={p.abilities['project.members.request']}
          canApprove={p.abilities['project.members.approve']}
          selfId={session.user.id}
          onChanged={project.reload}
        />
      </Section>
    </>
  );
}
