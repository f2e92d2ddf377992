/** The session cookie: its name and how a sign-in sets it and a sign-out clears it. */
import type { FastifyReply } from 'fastify';
import { SESSION_ABSOLUTE_MS, type SessionResult, type SignInResult } from './sessions.service.js';

export const SESSION_COOKIE = 'vigil_session';

/** Sets the session cookie after a sign-in. */
export function setSessionCookie(reply: FastifyReply, session: SessionResult, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

/** Clears the session cookie at sign-out. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * Answers a sign-in step: with a session, sets the cookie and returns the user and CSRF token;
 * with a second-factor challenge, returns it (no cookie: nothing is signed in yet).
 */
export function answerSignIn(reply: FastifyReply, result: SignInResult, secure: boolean) {
  if (result.kind === 'session') {
    setSessionCookie(reply, result.session, secure);
    return { user: result.session.user, csrfToken: result.session.csrfToken };
  }
  return {
    secondFactor: { challenge: result.challengeToken, methods: result.methods, expiresAt: result.expiresAt },
  };
}
