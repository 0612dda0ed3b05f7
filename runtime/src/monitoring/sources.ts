// Where monitoring reads broker-side numbers from. Both are optional: without them the lag alert and the queue
// metrics are simply not available (and the docs say so). Adapters/embedded broker supply implementations.

/** Messages a consumer group still has to process (sum over its topics/partitions). */
export type LagSource = (group: string) => Promise<number>;

/** Broker-side numbers of one queue/topic; a field the broker cannot tell is left out. */
export interface QueueStats {
  readonly queue: string;
  /** Messages held by the queue: waiting plus delivered-but-unacknowledged. */
  readonly size?: number;
  /** Messages waiting for delivery (ready). */
  readonly depth?: number;
  /** Age of the oldest waiting message, seconds. */
  readonly oldestMessageAgeSeconds?: number;
  /** Consumers attached to the queue. */
  readonly consumers?: number;
}

export interface QueueStatsSource {
  stats(): Promise<readonly QueueStats[]>;
}
