/**
 * A browser journey through a project's distributors list (PROCESS.md §7) with the real binaries:
 * `vigil serve` on a fresh SQLite data directory with a real SMTP sink, project `demo` on the
 * Contour preset (a list with seven membership criteria), then Chromium as four people:
 *
 * - the security team puts the list's first organisation on by hand and names a person, whose
 *   sign-in link it is shown once;
 * - that member signs in, reads the embargo policy on the account page and accepts it;
 * - an organisation applies on the public page: every criterion answered in its own words, the
 *   embargo policy accepted, the member named to vouch; a second application comes in too;
 * - the member follows the vouch request's mail to the vouch page, reads the answers, vouches;
 * - the team reads the applications (answers, vouch, embargo version), approves the first (the
 *   new person's link shown once) and refuses the second with a reason (mailed to the applicant);
 * - the approved applicant signs in and accepts the embargo policy as themselves; they report a leak;
 * - the team records the leak as an incident, then a second one in its own words, which reaches
 *   the policy's limit, and removes the organisation per policy with a confirmation; it sets a
 *   person's OpenPGP key, adds a person and removes them, records the member organisation's
 *   review and suspends it.
 *
 * Every free-text field gets markup (XSS), which must show as text. Needs `npm run build` and
 * Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation not announced fails
 * it; every page photographed is checked with axe-core; screenshots go to test-results/dist-*.png.
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  addTeamMember,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const LIST = 'Contour Distributors mailing list';
const PROJECT = 'Demo Project';
const MEMBER = { name: 'Mia Member', email: 'mia@fedora.example', org: 'Fedora Security' };
const APPLICANT = {
  name: 'Ann Applicant',
  email: 'ann@annsdistro.example',
  org: `Ann's Distro ${XSS.svg}`,
  alias: 'security@annsdistro.example',
};
const REFUSED = { name: 'Rex Refused', email: 'rex@rebuild.example', org: 'Rebuild Linux' };
/** The answers, criterion by criterion: each its own payload among the words. */
const ANSWERS = [
  `We ship Contour in our distribution. ${XSS.img}`,
  `Thousands of users outside our company. ${XSS.script}`,
  `Our advisories since 2015: https://annsdistro.example/security ${XSS.svg}`,
  `We build from source, not from another distributor. ${XSS.iframe}`,
  `Two of us review Contour pull requests. ${XSS.link}`,
  `We accept the embargo policy. ${XSS.img}`,
  `Mia Member of Fedora Security vouches for us. ${XSS.script}`,
];

const mailTo = (address: string, pattern: RegExp) => (m: { envelope: { to: string[] }; text: string }) =>
  m.envelope.to.includes(address) && pattern.test(m.text);

describe('browser journey: the distributors list', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  const journey = useJourney('vigil-dist-', () => ({ VIGIL_SMTP_URL: sink.url }));
  let teamLink = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', PROJECT, '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
  });

  afterAll(async () => {
    await sink.close();
  });

  it('takes an application through vouching and approval, and runs the list', async () => {
    const { browser, baseUrl } = journey();
    const team = await openJourneyPage(browser, 'dist-team');
    const { page, shot } = team;
    await setPasswordFromLink(page, teamLink, PASSWORD);

    // 1. The team puts the first organisation on the list and names its person.
    await page.goto(`${baseUrl}/projects/demo`);
    const section = page.getByRole('region', { name: 'Distributors' });
    await section.getByText('No organisation is on the list yet.').waitFor();
    const newOrg = section.getByRole('form', { name: 'Put an organisation on the list' });
    await newOrg.getByLabel('Organisation').fill(MEMBER.org);
    await newOrg.getByLabel('Contact alias').fill('security@fedora.example');
    await newOrg.getByRole('button', { name: 'Put on the list' }).click();
    const fedora = section.getByTestId('distributor-org').filter({ hasText: MEMBER.org });
    await fedora.getByRole('heading', { name: `${MEMBER.org} Active` }).waitFor();
    await fedora.getByText(`Add a person to ${MEMBER.org}`).click();
    await fedora.getByLabel('Name', { exact: true }).fill(MEMBER.name);
    await fedora.getByLabel('Email', { exact: true }).fill(MEMBER.email);
    await fedora.getByRole('button', { name: 'Add the person' }).click();
    const memberLinkField = section.getByLabel(`The sign-in link mailed to ${MEMBER.email}`);
    const memberLink = await memberLinkField.inputValue();
    expect(memberLink).toMatch(new RegExp(`^${baseUrl}/sign-in/link#token=`));
    await fedora
      .getByRole('table', { name: `People of ${MEMBER.org}` })
      .getByRole('row', { name: new RegExp(`${MEMBER.name}.*not accepted yet`) })
      .waitFor();
    await shot('01-list');
    await section.getByRole('button', { name: 'Done, hide the link' }).click();
    // The welcome mail carries the same link.
    const welcome = await sink.waitFor(mailTo(MEMBER.email, /sign-in\/link/));
    expect(welcome.text).toContain(memberLink);

    // 2. The member signs in, reads the embargo policy on the account page and accepts it.
    const member = await openJourneyPage(browser, 'dist-member');
    const mp = member.page;
    await setPasswordFromLink(mp, memberLink, PASSWORD);
    await mp.getByTestId('distributors-notice').waitFor();
    await mp.getByRole('link', { name: 'account page' }).click();
    const lists = mp.getByRole('region', { name: 'Distributors lists' });
    const membership = lists.getByRole('region', { name: `${MEMBER.org}, on the ${LIST} of ${PROJECT}` });
    await membership
      .getByRole('region', { name: `Embargo policy of the ${LIST} of ${PROJECT}` })
      .getByText(/must not be made public, shared, or even hinted at/)
      .waitFor();
    await member.shot('01-embargo');
    await membership
      .getByRole('button', { name: `Accept the embargo policy of the ${LIST} of ${PROJECT}` })
      .click();
    await membership.getByText('You accepted the embargo policy.').waitFor();
    await membership.getByText(/^You accepted the embargo policy \(version [0-9a-f]{12}\)/).waitFor();

    // 3. An organisation applies on the public page, naming the member to vouch.
    const applicant = await openJourneyPage(browser, 'dist-applicant');
    const ap = applicant.page;
    await ap.goto(`${baseUrl}/p/demo/distributors/apply`);
    await ap.getByRole('heading', { level: 1, name: `Apply to the ${LIST} of ${PROJECT}` }).waitFor();
    await ap.getByLabel('Organisation', { exact: true }).fill(APPLICANT.org);
    await ap.getByLabel('Contact alias').fill(APPLICANT.alias);
    await ap.getByLabel('Your name').fill(APPLICANT.name);
    await ap.getByLabel('Your email').fill(APPLICANT.email);
    const criteria = ap.getByRole('group', { name: 'Membership criteria' }).getByRole('textbox');
    await expect(criteria.count()).resolves.toBe(ANSWERS.length);
    for (const [i, answer] of ANSWERS.entries()) await criteria.nth(i).fill(answer);
    await ap
      .getByRole('region', { name: 'Embargo policy' })
      .getByText(/permanently removed/)
      .waitFor();
    const send = ap.getByRole('button', { name: 'Send the application' });
    await expect(send.isDisabled()).resolves.toBe(true);
    await ap.getByLabel(/^I accept the embargo policy/).check();
    await ap.getByLabel("Vouching member's email").fill(MEMBER.email);
    await applicant.shot('01-form');
    await send.click();
    await ap.getByRole('heading', { level: 1, name: 'Application sent' }).waitFor();
    await ap.getByText(`writes to ${APPLICANT.email}`, { exact: false }).waitFor();
    await applicant.shot('02-sent');

    // A second application, through the API (the form is the one above).
    const info = await applicant.context.request.get(`${baseUrl}/api/v1/projects/demo/distributors/apply`);
    const { embargo } = (await info.json()) as { embargo: { hash: string } };
    const second = await applicant.context.request.post(
      `${baseUrl}/api/v1/projects/demo/distributors/applications`,
      {
        data: {
          orgName: REFUSED.org,
          contactAlias: 'security@rebuild.example',
          applicantName: REFUSED.name,
          applicantEmail: REFUSED.email,
          answers: ANSWERS.map((_a, i) => `Rebuild's answer ${i + 1}.`),
          embargoHash: embargo.hash,
          vouchEmail: MEMBER.email,
        },
      },
    );
    expect(second.status()).toBe(201);

    // 4. The member follows the vouch request's mail to the vouch page, reads the answers, vouches.
    const vouchMail = await sink.waitFor(mailTo(MEMBER.email, /\/vouches\//));
    const vouchLink = /https?:\/\/\S+\/vouches\/[0-9a-f-]+/.exec(vouchMail.text)?.[0] ?? '';
    expect(vouchLink).not.toBe('');
    expect(vouchMail.text).not.toContain(ANSWERS[0]); // link-only: no answers in mail
    await mp.goto(vouchLink);
    await mp.getByRole('heading', { level: 1, name: `Vouch for ${APPLICANT.org}?` }).waitFor();
    const answers = mp.getByTestId('application-answers');
    for (const answer of ANSWERS) await answers.getByText(answer, { exact: true }).waitFor();
    await mp.getByTestId('vouch-state').filter({ hasText: 'waiting for your answer' }).waitFor();
    await noInjectedMarkup(mp);
    await member.shot('02-vouch');
    await mp.getByLabel('A word to the security team (optional)').fill(`Known for years. ${XSS.link}`);
    await mp.getByRole('button', { name: 'Vouch for them' }).click();
    await mp.getByText('You vouched for this application.').waitFor();
    await mp.getByTestId('vouch-state').filter({ hasText: 'you vouched for it' }).waitFor();
    await mp.getByText(`Your note: Known for years. ${XSS.link}`, { exact: false }).waitFor();
    await noInjectedMarkup(mp);
    await member.shot('03-vouched');

    // 5. The team: both applications with their answers; approve the vouched one.
    await page.reload();
    await section
      .getByTestId('distributors-todo')
      .getByText('2 application(s) wait for a decision.')
      .waitFor();
    const ann = section.getByTestId('distributor-application').filter({ hasText: APPLICANT.email });
    await ann.getByText(/vouched\. “Known for years\./).waitFor();
    await ann.getByText('Answers to the membership criteria').click();
    for (const answer of ANSWERS) await ann.getByText(answer, { exact: true }).waitFor();
    await ann.getByText(/^accepted .*, version [0-9a-f]{12} On approval/).waitFor();
    const rex = section.getByTestId('distributor-application').filter({ hasText: REFUSED.email });
    await rex.getByText('Approval waits for the vouch.').waitFor();
    await noInjectedMarkup(page);
    await shot('02-applications');
    await ann.getByRole('button', { name: `Approve ${APPLICANT.org}` }).click();
    const annLink = await section.getByLabel(`The sign-in link mailed to ${APPLICANT.name}`).inputValue();
    expect(annLink).toMatch(new RegExp(`^${baseUrl}/sign-in/link#token=`));
    await ann.getByRole('heading', { name: `${APPLICANT.org} approved` }).waitFor();
    await section.getByRole('button', { name: 'Done, hide the link' }).first().click();
    // ...and refuse the other, with a reason mailed to its applicant.
    await rex.getByRole('button', { name: `Refuse… ${REFUSED.org}` }).click();
    await rex
      .getByLabel(`Why ${REFUSED.org} is refused`)
      .fill(`You rebuild another distribution. ${XSS.script}`);
    await rex.getByRole('button', { name: 'Refuse the application' }).click();
    await rex.getByRole('heading', { name: `${REFUSED.org} refused` }).waitFor();
    await rex.getByText(`You rebuild another distribution. ${XSS.script}`).waitFor();
    const refusal = await sink.waitFor(mailTo(REFUSED.email, /rebuild another distribution/));
    expect(refusal.text).toContain(XSS.script);
    const annsOrg = section.getByTestId('distributor-org').filter({ hasText: APPLICANT.alias });
    // Accepted on the public form by whoever typed the address: the person accepts again, signed in.
    await annsOrg.getByRole('row', { name: new RegExp(`${APPLICANT.name}.*not accepted yet`) }).waitFor();
    await annsOrg.getByText(`vouched for by ${MEMBER.org}`, { exact: false }).waitFor();
    await noInjectedMarkup(page);
    await shot('03-approved');

    // 6. The approved applicant signs in and accepts the embargo policy as themselves (the form's
    // acceptance came from an unverified address); they report a leak.
    await setPasswordFromLink(ap, annLink, PASSWORD);
    await ap.goto(`${baseUrl}/account`);
    const annMembership = ap.getByRole('region', { name: `${APPLICANT.org}, on the ${LIST} of ${PROJECT}` });
    await annMembership
      .getByRole('button', { name: `Accept the embargo policy of the ${LIST} of ${PROJECT}` })
      .click();
    await annMembership.getByText(/^You accepted the embargo policy \(version [0-9a-f]{12}\)/).waitFor();
    await noInjectedMarkup(ap);
    await applicant.shot('03-account');
    await annMembership.getByRole('link', { name: 'Report a leak' }).click();
    await ap.waitForURL(`${baseUrl}/distributors/demo/leak`);
    await ap.getByLabel('What leaked').fill(`The release date of the next fix. ${XSS.img}`);
    await ap.getByLabel('To whom').fill(`A contractor outside the team. ${XSS.iframe}`);
    await ap.getByLabel('When').fill(`Yesterday afternoon ${XSS.svg}`);
    await ap.getByRole('button', { name: 'Report the leak' }).click();
    await ap.getByText('Your report reached the security team.', { exact: false }).waitFor();
    await applicant.shot('04-leak');

    // 7. The team records the leak as an incident, then one more in its own words: the policy's
    // limit (two), so the organisation is removed per policy, confirmed.
    await page.reload();
    const leak = section.getByTestId('distributor-leak').filter({ hasText: APPLICANT.name });
    await leak.getByText(`The release date of the next fix. ${XSS.img}`).waitFor();
    await leak.getByText(`A contractor outside the team. ${XSS.iframe}`).waitFor();
    await leak.getByText(`Yesterday afternoon ${XSS.svg}`).waitFor();
    await noInjectedMarkup(page);
    await shot('04-leak');
    await expect(leak.getByLabel('Organisation responsible').inputValue()).resolves.not.toBe('');
    await leak.getByRole('button', { name: 'Record an incident' }).click();
    await section.getByText(/^Incident recorded: “Ann's Distro .*” has 1 of 2\.$/).waitFor();
    const own = section.locator('details', { hasText: 'Record an incident in your own words' });
    await own.getByText('Record an incident in your own words').click();
    await own.getByLabel('Organisation').selectOption({ label: APPLICANT.org });
    await own.getByLabel('What leaked').fill(`The patch, posted to a public list. ${XSS.script}`);
    await own.getByLabel('To whom').fill('A public mailing list');
    await own.getByLabel('When').fill('This morning');
    await own.getByRole('button', { name: 'Record the incident' }).click();
    await section.getByText(/has 2 incidents, the policy's limit \(2\)/).waitFor();
    const incidents = section.getByTestId('distributor-incidents');
    await incidents.getByText(`The patch, posted to a public list. ${XSS.script}`).waitFor();
    await section
      .getByTestId('distributors-todo')
      .getByText(/reached 2 incidents: remove per policy/)
      .waitFor();
    const removal = annsOrg.getByRole('form', { name: `Remove ${APPLICANT.org} per policy` });
    await removal.getByLabel('Reason for the record').fill(`Two leaks in a month. ${XSS.img}`);
    await noInjectedMarkup(page);
    await shot('05-incidents');
    team.confirms.push(/^Remove Ann's Distro .* from the list for good, per the policy's leak rule\?$/);
    await removal.getByRole('button', { name: 'Remove per policy' }).click();
    await annsOrg.getByText(`${APPLICANT.org} was removed per the policy.`).waitFor();
    await annsOrg.getByRole('heading', { name: `${APPLICANT.org} Removed` }).waitFor();
    expect(team.confirms).toEqual([]);

    // 8. The member organisation: a person's key, a person added and removed, the review, suspension.
    const { publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: MEMBER.name, email: MEMBER.email }],
      format: 'armored',
    });
    await fedora.getByRole('button', { name: `Key… of ${MEMBER.name}` }).click();
    await fedora.getByLabel(`OpenPGP public key of ${MEMBER.name}`).fill(publicKey);
    await fedora.getByRole('button', { name: 'Set the key' }).click();
    await fedora.getByText(`${MEMBER.name}'s key was set.`).waitFor();
    const fingerprint = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
    await fedora.getByRole('row', { name: new RegExp(`${MEMBER.name}.*${fingerprint}`) }).waitFor();
    await fedora.getByText(`Add a person to ${MEMBER.org}`).click();
    await fedora.getByLabel('Name', { exact: true }).fill('Pat Passing');
    await fedora.getByLabel('Email', { exact: true }).fill('pat@fedora.example');
    await fedora.getByRole('button', { name: 'Add the person' }).click();
    await section.getByLabel('The sign-in link mailed to pat@fedora.example').waitFor();
    team.confirms.push(/^Remove Pat Passing from Fedora Security\?/);
    await fedora.getByRole('button', { name: 'Remove Pat Passing' }).click();
    await fedora.getByText('Pat Passing was removed.').waitFor();
    await expect.poll(() => fedora.getByRole('row', { name: /Pat Passing/ }).count()).toBe(0);
    await fedora.getByText(`Record the review of ${MEMBER.org}`).click();
    await fedora.getByLabel('Notes (optional)').fill(`Still meets every criterion. ${XSS.svg}`);
    await fedora.getByRole('button', { name: 'Record the review' }).click();
    await fedora.getByText(`The review of ${MEMBER.org} is recorded.`).waitFor();
    await fedora.getByText(`Still meets every criterion. ${XSS.svg}`, { exact: false }).waitFor();
    await fedora.getByText(`Suspend, reinstate or remove ${MEMBER.org}`).click();
    await fedora.getByLabel('New state').selectOption('suspended');
    await fedora.getByLabel('Reason').fill(`Their contact alias bounces. ${XSS.iframe}`);
    await fedora.getByRole('button', { name: 'Change the state' }).click();
    await fedora.getByText(`${MEMBER.org} is suspended.`).waitFor();
    await fedora.getByRole('heading', { name: `${MEMBER.org} Suspended` }).waitFor();
    await fedora.getByText(`Their contact alias bounces. ${XSS.iframe}`).waitFor();
    await noInjectedMarkup(page);
    await shot('06-members');
    expect(team.confirms).toEqual([]);

    // The member sees the suspension on the account page.
    await mp.goto(`${baseUrl}/account`);
    await membership.getByText('Your organisation is suspended', { exact: false }).waitFor();
    await member.shot('04-suspended');

    expect(team.problems).toEqual([]);
    expect(member.problems).toEqual([]);
    expect(applicant.problems).toEqual([]);
    await Promise.all([team.context.close(), member.context.close(), applicant.context.close()]);
  });
});
