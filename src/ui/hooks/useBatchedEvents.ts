// Events from a long process (server log, rsync) arrive far faster than a terminal can be
// redrawn: they are queued and folded into the view at most once per render period.
import { useCallback, useEffect, useRef, useState } from 'react';

export const RENDER_MS = 50;

export interface Batched<E, V> {
  view: V;
  /** Queue an event; the view is updated within one render period. */
  emit: (e: E) => void;
  /**
   * Hands over what is queued, then waits a render period: Ink writes <Static> output at once
   * but may still write an older frame after it, so a verdict must come in a render of its own.
   */
  settle: () => Promise<void>;
  /** For changes that are not events (a phase, an outcome). */
  setView: (update: (view: V) => V) => void;
  /** false once the screen is gone: long-running callers stop touching state. */
  live: { readonly current: boolean };
}

export function useBatchedEvents<E, V>(initial: V | (() => V), fold: (view: V, events: E[]) => V): Batched<E, V> {
  const [view, setView] = useState<V>(initial);
  const pending = useRef<E[]>([]);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const live = useRef(true);
  const foldRef = useRef(fold);
  foldRef.current = fold;

  const flush = useCallback(() => {
    timer.current = undefined;
    const events = pending.current.splice(0);
    if (events.length && live.current) setView((v) => foldRef.current(v, events));
  }, []);
  const emit = useCallback(
    (e: E) => {
      pending.current.push(e);
      timer.current ??= setTimeout(flush, RENDER_MS);
    },
    [flush],
  );
  const settle = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    flush();
    await new Promise((resolve) => setTimeout(resolve, RENDER_MS));
  }, [flush]);
  useEffect(
    () => () => {
      live.current = false;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return { view, emit, settle, setView, live };
}
