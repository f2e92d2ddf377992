/** The server's password bounds, checked in the browser first for a quicker answer. */
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 256;

/** Checks a new password and its confirmation: a message for the user, or null when fine. */
export function checkNewPassword(password: string, confirmation: string): string | null {
  if (password.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters.`;
  if (password.length > MAX_PASSWORD) return `Use at most ${MAX_PASSWORD} characters.`;
  if (password !== confirmation) return 'The two passwords differ.';
  return null;
}
