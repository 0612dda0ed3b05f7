// Time source of the monitoring code. Injectable so alerting logic is tested with a fake clock instead of sleeps.
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
