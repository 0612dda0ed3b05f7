// Time source of the monitoring code. Injectable so alerting logic is tested with a fake clock instead of sleeps.
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter). */
  now(): number;
}

/**
 * Date.now(), read once per event-loop turn: the alert windows record every message and publish into slots a
 * second or more wide, and a clock read (~50 ns on this machine's VMs) cost as much as the rest of recording
 * one. Within a turn the value is at most that turn's length old.
 */
export const systemClock: Clock = { now: turnNow };

let turnTime = 0;
let turnTimeValid = false;
function turnNow(): number {
  if (!turnTimeValid) {
    turnTime = Date.now();
    turnTimeValid = true;
    setImmediate(endTurn);
  }
  return turnTime;
}
function endTurn(): void {
  turnTimeValid = false;
}

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
