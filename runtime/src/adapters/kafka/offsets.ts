// Which offset of a partition may be committed: Kafka commits a position (everything before it is done),
// but handlers finish out of order (concurrency, delayed retries). The commit point is the lowest offset
// still pending, or one past the highest acked offset when nothing is pending. A message handled and acked
// after a later one is therefore never skipped, and a crash replays from the first unfinished message.
//
// Every fetched message passes through track() and ack(), so the bookkeeping is two parallel arrays in
// offset order (kafkajs hands a partition's messages over in order) instead of Sets: track appends, ack
// finds its entry by position (offsets are mostly contiguous; binary search over gaps), the commit point is
// found by a cursor that only moves forward, and committed() drops the entries before the commit.

const PENDING = 0;
const ACKED = 1;

export class PartitionOffsets {
  /** Tracked offsets not yet below the last commit, ascending, from index `head`. */
  private offsets: number[] = [];
  /** PENDING or ACKED, parallel to `offsets`. */
  private states: number[] = [];
  private head = 0;
  /** Every entry in [head, scan) is acked: the first pending one is at `scan` or later. */
  private scan = 0;
  private pending = 0;
  private highestTracked = -1;
  private highestAcked = -1;
  private lastCommitted = -1;

  /**
   * Registers a fetched message. False when it is already known (kafkajs re-fetches from the committed
   * position after a rebalance): the caller must not hand it to the handler again. Every offset tracked and
   * not yet below the last commit is still in the arrays (pending or acked), so an offset at or below the
   * highest one tracked is known.
   */
  track(offset: number): boolean {
    if (offset < this.lastCommitted || offset <= this.highestTracked) return false;
    this.offsets.push(offset);
    this.states.push(PENDING);
    this.highestTracked = offset;
    this.pending++;
    return true;
  }

  ack(offset: number): void {
    const i = this.indexOf(offset);
    if (i < 0 || this.states[i] !== PENDING) return;
    this.states[i] = ACKED;
    this.pending--;
    if (offset > this.highestAcked) this.highestAcked = offset;
  }

  /** Undoes an ack whose commit failed (transactional ack aborted): the message is pending again. */
  unack(offset: number): void {
    const i = this.indexOf(offset);
    if (i < 0 || this.states[i] !== ACKED) return;
    this.states[i] = PENDING;
    this.pending++;
    if (i < this.scan) this.scan = i;
  }

  /** The position to commit now, or undefined when it did not move since the last commit. */
  commitPoint(): number | undefined {
    const end = this.offsets.length;
    let scan = Math.max(this.scan, this.head);
    while (scan < end && this.states[scan] === ACKED) scan++;
    this.scan = scan;
    let point: number;
    if (scan < end) point = this.offsets[scan]!;
    else if (this.highestAcked >= 0) point = this.highestAcked + 1;
    else return undefined;
    return point > this.lastCommitted ? point : undefined;
  }

  /** Called once the broker confirmed the commit of `point`: forgets the acked offsets below it. */
  committed(point: number): void {
    if (point <= this.lastCommitted) return;
    this.lastCommitted = point;
    const end = this.offsets.length;
    let head = this.head;
    while (head < end && this.offsets[head]! < point) head++;
    this.head = head;
    if (head === end) {
      this.offsets = [];
      this.states = [];
      this.head = this.scan = 0;
    } else if (head > 4096 && head * 2 > end) {
      // Drop the committed prefix now and then (amortised: each entry is copied at most once per halving).
      this.offsets = this.offsets.slice(head);
      this.states = this.states.slice(head);
      this.scan = Math.max(0, this.scan - head);
      this.head = 0;
    }
  }

  get pendingCount(): number {
    return this.pending;
  }

  /** Index of `offset` in [head, end), or -1. */
  private indexOf(offset: number): number {
    const offsets = this.offsets;
    let lo = this.head;
    let hi = offsets.length - 1;
    if (lo > hi) return -1;
    // Contiguous offsets (the common case): the entry is exactly `offset - first` places after head.
    const guess = lo + (offset - offsets[lo]!);
    if (guess >= lo && guess <= hi && offsets[guess] === offset) return guess;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = offsets[mid]!;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
