// Which offset of a partition may be committed: Kafka commits a position (everything before it is done),
// but handlers finish out of order (concurrency, delayed retries). The commit point is the lowest offset
// still pending, or one past the highest acked offset when nothing is pending. A message handled and acked
// after a later one is therefore never skipped, and a crash replays from the first unfinished message.

export class PartitionOffsets {
  private readonly pending = new Set<number>();
  private readonly acked = new Set<number>();
  private highestAcked = -1;
  private lastCommitted = -1;

  /**
   * Registers a fetched message. False when it is already known (kafkajs re-fetches from the committed
   * position after a rebalance): the caller must not hand it to the handler again.
   */
  track(offset: number): boolean {
    if (offset < this.lastCommitted || this.pending.has(offset) || this.acked.has(offset)) return false;
    this.pending.add(offset);
    return true;
  }

  ack(offset: number): void {
    if (!this.pending.delete(offset)) return;
    this.acked.add(offset);
    if (offset > this.highestAcked) this.highestAcked = offset;
  }

  /** Undoes an ack whose commit failed (transactional ack aborted): the message is pending again. */
  unack(offset: number): void {
    if (this.acked.delete(offset)) this.pending.add(offset);
  }

  /** The position to commit now, or undefined when it did not move since the last commit. */
  commitPoint(): number | undefined {
    let point: number;
    if (this.pending.size > 0) {
      point = Infinity;
      for (const offset of this.pending) if (offset < point) point = offset;
    } else if (this.highestAcked >= 0) {
      point = this.highestAcked + 1;
    } else {
      return undefined;
    }
    return point > this.lastCommitted ? point : undefined;
  }

  /** Called once the broker confirmed the commit of `point`: forgets the acked offsets below it. */
  committed(point: number): void {
    if (point <= this.lastCommitted) return;
    this.lastCommitted = point;
    for (const offset of this.acked) if (offset < point) this.acked.delete(offset);
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
