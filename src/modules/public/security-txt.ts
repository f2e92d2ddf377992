/**
 * security.txt (RFC 9116) as text: the fields in a fixed order, one per line, with `Expires` in
 * RFC 3339. Pure; the public service decides the values.
 */

export interface SecurityTxtFields {
  /** URIs (`mailto:`, `https:`), most preferred first; at least one. */
  contacts: string[];
  expires: Date;
  encryption?: string[];
  policy?: string[];
  preferredLanguages?: string[];
  canonical?: string[];
  /** `#` comment lines at the top. */
  comments?: string[];
}

/** Renders the fields; throws on a programming error (no Contact), never on user data. */
export function renderSecurityTxt(fields: SecurityTxtFields): string {
  if (fields.contacts.length === 0) throw new Error('security.txt needs at least one Contact');
  const lines = [
    ...(fields.comments ?? []).map((c) => `# ${oneLine(c)}`),
    ...fields.contacts.map((c) => `Contact: ${oneLine(c)}`),
    `Expires: ${fields.expires.toISOString()}`,
    ...(fields.encryption ?? []).map((e) => `Encryption: ${oneLine(e)}`),
    ...(fields.policy ?? []).map((p) => `Policy: ${oneLine(p)}`),
    ...(fields.preferredLanguages?.length
      ? [`Preferred-Languages: ${fields.preferredLanguages.join(', ')}`]
      : []),
    ...(fields.canonical ?? []).map((c) => `Canonical: ${oneLine(c)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A value cannot break out of its line (a newline would start a forged field). */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
