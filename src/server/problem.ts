/** RFC 9457 problem details: the one shape every API error takes. */
import type { FieldIssue } from '../lib/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  issues?: FieldIssue[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem document; `type` names the stable machine code. */
export function problem(
  status: number,
  code: string,
  detail: string,
  issues?: FieldIssue[],
  instance?: string,
): Problem {
  return {
    type: `urn:vigil:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance !== undefined && { instance }),
    ...(issues && issues.length > 0 && { issues }),
  };
}
