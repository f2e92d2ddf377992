/**
 * Small hooks shared by the pages: loading a resource from the API, running an action against it,
 * saving against a version, a live preview rendered by the server, the unsaved-changes guard, and
 * the document title.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, isAbort, toApiError } from './api/client.js';
import type { Issue } from './api/types.js';
import { setNavigationGuard } from './router.js';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/**
 * Loads `load()` when the component mounts and whenever `key` changes; aborts the request when
 * the key changes or the component goes away, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const loader = useRef(load);
  loader.current = load;
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError; loading: boolean }>({
    key,
    loading: true,
  });

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    loader.current(controller.signal).then(
      (data) => {
        // A loader that finished after its abort (work that ignores the signal) is no longer wanted.
        if (!controller.signal.aborted) setState({ key, data, loading: false });
      },
      (err: unknown) => {
        if (!isAbort(err) && !controller.signal.aborted)
          setState((s) => ({ ...s, error: toApiError(err), loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    reload,
  };
}

/**
 * While `dirty`, asks before the user leaves the page: the browser's own prompt on reload or
 * close, and `confirm(message)` before an in-app navigation.
 */
export function useUnsavedChangesGuard(dirty: boolean, message: string): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    setNavigationGuard(() => window.confirm(message));
    return () => {
      window.removeEventListener('beforeunload', warn);
      setNavigationGuard(null);
    };
  }, [dirty, message]);
}

const PREVIEW_DELAY_MS = 300;

export interface LivePreview<T> {
  /** The last good render; null before the first one. */
  value: T | null;
  /** The value no longer matches the text: the text has problems or could not be rendered. */
  stale: boolean;
  pending: boolean;
  /** What the server found wrong with the text (a 422's issues). */
  issues: Issue[];
  /** Any other failure. */
  error: ApiError | undefined;
}

/**
 * Renders a text on the server as the user types: at once for the first `key`, then at most once
 * per pause in typing (each new key cancels the render pending for the last one). When the text
 * has problems, the last good value stays, marked stale, beside the issues.
 */
export function useLivePreview<T>(key: string, render: (signal: AbortSignal) => Promise<T>): LivePreview<T> {
  const renderer = useRef(render);
  renderer.current = render;
  const [state, setState] = useState<LivePreview<T>>({
    value: null,
    stale: false,
    pending: true,
    issues: [],
    error: undefined,
  });
  const first = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const delay = first.current ? 0 : PREVIEW_DELAY_MS;
    first.current = false;
    const timer = window.setTimeout(() => {
      renderer.current(controller.signal).then(
        (value) => setState({ value, stale: false, pending: false, issues: [], error: undefined }),
        (err: unknown) => {
          if (isAbort(err)) return;
          const error = toApiError(err);
          setState((s) => ({
            value: s.value,
            stale: true,
            pending: false,
            issues: error.status === 422 ? error.issues : [],
            error: error.status === 422 && error.issues.length > 0 ? undefined : error,
          }));
        },
      );
    }, delay);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key]);

  return state;
}

/** Sets the browser tab's title for the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Vigil` : 'Vigil';
  }, [title]);
}

export interface AsyncAction {
  /** True while an action runs: its buttons are disabled meanwhile. */
  busy: boolean;
  /** Why the last action failed; cleared when the next one starts. */
  error: ApiError | undefined;
  /** Runs `action`, keeping its failure in `error`; resolves true when it succeeded. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}

export interface AsyncActionOptions {
  /** The action ends by leaving the page: stay busy after success, so nothing is sent twice meanwhile. */
  leavesPage?: boolean;
  /** Also told of each failure, e.g. to start a wait the server asked for. */
  onError?: (error: ApiError) => void;
}

/**
 * The busy flag and error of a form or button that calls the API: one hook instance per group of
 * controls that share them.
 */
export function useAsyncAction({ leavesPage = false, onError }: AsyncActionOptions = {}): AsyncAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      if (!leavesPage) setBusy(false);
      return true;
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError);
      onError?.(apiError);
      setBusy(false);
      return false;
    }
  }

  return { busy, error, run };
}

export interface VersionedSave {
  /** True while a save runs. */
  saving: boolean;
  /** Why the last save failed, when it was not a conflict; cleared when the next one starts. */
  error: ApiError | undefined;
  /** The last save was refused because someone else saved first (409 to the version sent). */
  conflict: boolean;
  /** Runs `save`, sorting its failure into `conflict` or `error`; resolves true when it succeeded. */
  run: (save: () => Promise<void>) => Promise<boolean>;
  /** Forgets the conflict, once the latest version is loaded. */
  resolveConflict: () => void;
}

/**
 * The saving state of an editor whose saves name the version the edit started from (a policy, an
 * advisory, a template): a concurrent save by someone else is a conflict to resolve, never an
 * error, and never overwritten.
 */
export function useVersionedSave(): VersionedSave {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [conflict, setConflict] = useState(false);

  async function run(save: () => Promise<void>): Promise<boolean> {
    setSaving(true);
    setError(undefined);
    setConflict(false);
    try {
      await save();
      return true;
    } catch (err) {
      const failure = toApiError(err);
      if (failure.status === 409) setConflict(true);
      else setError(failure);
      return false;
    } finally {
      setSaving(false);
    }
  }

  const resolveConflict = useCallback(() => setConflict(false), []);
  return { saving, error, conflict, run, resolveConflict };
}

export interface Copying {
  /** How the last copy went, for a `role="status"` element. */
  status: string;
  copy: (text: string) => Promise<void>;
}

/**
 * Copies a text to the clipboard and says how it went. The clipboard API needs a secure context
 * and permission; without them, `select` (when given) selects the text so the user can copy it by
 * hand, and the status says how.
 */
export function useCopyToClipboard(select?: () => void): Copying {
  const [status, setStatus] = useState('');
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Copied to the clipboard.');
    } catch {
      select?.();
      setStatus(
        select
          ? 'Press Ctrl+C (or ⌘C) to copy the selected text.'
          : 'Select the text and press Ctrl+C (or ⌘C) to copy it.',
      );
    }
  }
  return { status, copy };
}

/** The current time in epoch milliseconds, updated every `everyMs`: for clocks shown as "due in 3 h". */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Whole seconds left until `until` (epoch milliseconds), ticking each second; 0 when past or null. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/** A wait in words: "45 s", "3 min". */
export function formatWait(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
