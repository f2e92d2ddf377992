/**
 * Who is signed in. Loads `GET /auth/session` once, keeps the CSRF token for the API client, and
 * falls back to "signed out" when any authenticated call answers 401 (session ended elsewhere).
 * The public pages (report form, reporter's view) do not need it: it is loaded the first time the
 * user is on any other page.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, isAbort, toApiError, setCsrfToken, setUnauthenticatedHandler } from './api/client.js';
import * as api from './api/endpoints.js';
import type { InstanceAbility, Session } from './api/types.js';
import { matchPublicRoute } from './public-paths.js';
import { useLocation } from './router.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' | 'signed-out' }
  | { status: 'signed-in'; session: Session }
  | { status: 'error'; error: ApiError };

interface SessionContextValue {
  state: SessionState;
  /** Re-reads the session from the server, e.g. right after signing in. */
  refresh: () => Promise<void>;
  /** Signs out of this browser. */
  signOut: () => Promise<void>;
  /** Forgets the session locally after it was ended by another call (sign out everywhere). */
  forget: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Provides the session to the whole app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const { pathname } = useLocation();
  const needed = matchPublicRoute(pathname) === null;
  const started = useRef(false);

  const apply = useCallback((next: SessionState) => {
    setCsrfToken(next.status === 'signed-in' ? next.session.csrfToken : null);
    setState(next);
  }, []);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        apply({ status: 'signed-in', session: await api.getSession(signal) });
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) apply({ status: 'signed-out' });
        else apply({ status: 'error', error: toApiError(err) });
      }
    },
    [apply],
  );

  useEffect(() => {
    if (!needed || started.current) return;
    started.current = true;
    const controller = new AbortController();
    void load(controller.signal);
    return () => {
      controller.abort();
      // Unmounted before the answer (StrictMode's second mount): the next mount asks again.
      started.current = false;
    };
  }, [load, needed]);

  useEffect(() => {
    setUnauthenticatedHandler(() => apply({ status: 'signed-out', reason: 'expired' }));
    return () => setUnauthenticatedHandler(null);
  }, [apply]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      refresh: () => load(),
      signOut: async () => {
        await api.signOut();
        apply({ status: 'signed-out', reason: 'signed-out' });
      },
      forget: () => apply({ status: 'signed-out', reason: 'signed-out' }),
    }),
    [state, load, apply],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context; only valid under `<SessionProvider>`. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() is used outside <SessionProvider>.');
  return value;
}

/** The signed-in session; only valid on pages rendered for a signed-in user. */
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn() is used while signed out.');
  return state.session;
}

/** Whether the signed-in user holds a global ability. */
export function useAbility(ability: InstanceAbility): boolean {
  const { state } = useSession();
  return state.status === 'signed-in' && state.session.abilities[ability] === true;
}
