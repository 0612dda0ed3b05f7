// The stored side of the embedded broker: topics made of append-only partition logs, as in Kafka.
// Offsets are absolute; the log keeps a base offset so the consumed prefix can be trimmed.

import type { OutgoingMessage } from "../transport.js";

/** The published message itself is stored (no copy per message): its partition and offset are its log's. */
export type StoredMessage = OutgoingMessage;

export class PartitionLog {
  /** Offset of messages[0]. */
  base = 0;
  readonly messages: StoredMessage[] = [];

  get end(): number {
    return this.base + this.messages.length;
  }

  at(offset: number): StoredMessage | undefined {
    return this.messages[offset - this.base];
  }

  /** Drops every message below `offset` (all groups have committed past it). */
  trimBelow(offset: number): void {
    const count = Math.min(offset - this.base, this.messages.length);
    if (count <= 0) return;
    this.messages.splice(0, count);
    this.base += count;
  }
}

export class TopicLog {
  readonly partitions: PartitionLog[] = [];
  retentionSeconds: number | undefined;
  /** Round-robin position for messages without a key. */
  nextUnkeyed = 0;

  constructor(
    readonly name: string,
    partitions: number,
  ) {
    this.grow(partitions);
  }

  /** Partitions only ever grow (as in Kafka). Returns the number added. */
  grow(partitions: number): number {
    const before = this.partitions.length;
    while (this.partitions.length < Math.max(1, partitions)) this.partitions.push(new PartitionLog());
    return this.partitions.length - before;
  }
}
