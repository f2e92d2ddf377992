/**
 * Small hooks shared by the pages: loading a resource from the API, and the document title.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, isAbort, toApiError } from './api/client.js';

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
      (data) => setState({ key, data, loading: false }),
      (err: unknown) => {
        if (!isAbort(err)) setState((s) => ({ ...s, error: toApiError(err), loading: false }));
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

/** Sets the browser tab's title for the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Vigil` : 'Vigil';
  }, [title]);
}
