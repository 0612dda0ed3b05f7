// Work in progress that close() must wait for before tearing connections down (publishes that are still
// waiting for the broker's confirmation): a transport tracks each one and awaits them all on close.
import type { OutgoingMessage } from "../transport.js";

export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /**
   * Returns `work` itself, tracked until it settles. No async frame: this runs once per published message
   * (the runtime core publishes one event per call), and an async wrapper cost two promises each time.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = (): void => void this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * A transport's publish(), not async (the core makes one call per event): `closed` (the transport's error
   * once it is closed) rejects rather than throws, an empty call resolves at once, anything else goes to
   * `publisher` and is tracked.
   */
  publish(publisher: { publish(messages: readonly OutgoingMessage[]): Promise<void> }, messages: readonly OutgoingMessage[], closed: Error | undefined): Promise<void> {
    if (closed !== undefined) return Promise.reject(closed);
    if (messages.length === 0) return Promise.resolve();
    return this.track(publisher.publish(messages));
  }

  /** Waits until everything tracked now has settled (failures are the callers' to see, not close()'s). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
