/** Where the UI shows a case, and where a project's public report form is. */

/** The page of a case, by its human id. */
export function casePath(humanId: string): string {
  return `/cases/${encodeURIComponent(humanId)}`;
}

/** The public report form of a project. */
export function reportFormPath(slug: string): string {
  return `/p/${encodeURIComponent(slug)}/report`;
}
