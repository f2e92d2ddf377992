/** The session cookie: its name and how a sign-in sets it and a sign-out clears it. */
import type { FastifyReply } from 'fastify';
import { SESSION_ABSOLUTE_MS, type SessionResult } from './sessions.service.js';

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
