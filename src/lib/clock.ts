/** Time is a dependency: services take a Clock so that tests can fix or advance it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for tests and simulations. */
export function fixedClock(
  start: Date | string,
): Clock & { advance(ms: number): void; set(d: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
    set(d: Date | string) {
      current = new Date(d);
    },
  };
}

/** Timestamps are stored as ISO 8601 UTC text with milliseconds on both databases, so they sort lexically. */
export function toIso(d: Date): string {
  return d.toISOString();
}
