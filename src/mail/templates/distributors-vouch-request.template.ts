/**
 * To a person of a distributors-list organisation named by an applicant as the member who vouches
 * for them (PROCESS.md §7, criterion 7): the project's name and the link to the request in Vigil,
 * nothing of the application. They read it, and vouch or decline, after signing in.
 */
import { z } from 'zod';
import {
  body,
  linkParam,
  parseParams,
  projectNameParam,
  teamSubject,
  type RenderedMail,
} from './template-kit.js';

export const distributorsVouchRequestParams = z.strictObject({
  projectName: projectNameParam,
  /** The vouch request's page in Vigil (behind sign-in). */
  link: linkParam,
});
export type DistributorsVouchRequestParams = z.input<typeof distributorsVouchRequestParams>;

/** Renders `distributors.vouch-request`. */
export function renderDistributorsVouchRequest(params: DistributorsVouchRequestParams): RenderedMail {
  const p = parseParams('distributors.vouch-request', distributorsVouchRequestParams, params);
  return {
    subject: teamSubject(p.projectName, undefined, 'An applicant to the distributors list asks you to vouch'),
    text: body(
      [
        `An organisation applying to join the distributors list of ${p.projectName} named you as the member ` +
          'of the list who vouches for the person applying on its behalf.',
        `Sign in to Vigil to read the application, then vouch for it or decline:\n${p.link}`,
        'If you do not know them, decline: the security team decides on the application either way.',
      ],
      `You receive this because you are a named person of an organisation on the distributors list of ${p.projectName} in Vigil.`,
    ),
  };
}
