// Work in progress that close() must wait for before tearing connections down (publishes that are still
// waiting for the broker's confirmation): a transport tracks each one and awaits them all on close.
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

  /** Waits until everything tracked now has settled (failures are the callers' to see, not close()'s). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
