// Work in progress that close() must wait for before tearing connections down (publishes that are still
// waiting for the broker's confirmation): a transport tracks each one and awaits them all on close.
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Runs with `work` tracked until it settles; resolves or rejects as `work` does. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    try {
      return await work;
    } finally {
      this.pending.delete(work);
    }
  }

  /** Waits until everything tracked now has settled (failures are the callers' to see, not close()'s). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
