// The embedded broker: in-process, in-memory, Kafka-like. Topics with partitions (keys placed by Kafka's murmur2),
// consumer groups with per-partition committed offsets, competing members within a group, fan-out across groups,
// redelivery on nack (optionally delayed, without blocking other keys), on ack timeout and on member crash.
//
// Speed: publishing appends to arrays and schedules ONE dispatch per group per event-loop turn (setImmediate);
// dispatch hands out as many messages as members have capacity for in a plain loop. No timer or promise per
// message in the broker itself (delayed nacks get a timer each: they are the exception).
// When handlers finish, the group dispatches again in the same turn (a microtask), up to TURN_BUDGET messages per
// group per turn; then it waits for the next turn (setImmediate) so timers and I/O are never starved. Without
// this a group took at most `concurrency` messages per turn, fell behind any producer that publishes more per turn,
// and the backlog (kept alive, promoted to the old heap) made garbage collection the largest cost.
import { randomUUID } from "node:crypto";
import { SETTLED, type MessageHandler, type NackOptions, type OutgoingMessage, type ReceivedMessage } from "../transport.js";
import { partitionForKey } from "../partitioner/murmur2.js";
import { PartitionCursor, type Delivery } from "./cursor.js";
import { TopicLog, type StoredMessage } from "./log.js";

export interface EmbeddedBrokerOptions {
  /** A delivery neither acked nor nacked within this many ms is redelivered (Kafka's max.poll.interval.ms). */
  readonly ackTimeoutMs?: number;
  /** Partitions of a topic created implicitly by publish/subscribe. */
  readonly defaultPartitions?: number;
  /**
   * Messages kept per partition of a topic no group reads yet (a later "earliest" group still finds them);
   * beyond this the oldest are dropped, like Kafka's retention. Default 100,000.
   */
  readonly retainUnread?: number;
}

export interface MemberOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly concurrency: number;
  readonly startFrom?: "earliest" | "latest";
  readonly orderedByKey?: boolean;
  readonly exclusive?: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** Committed messages a partition log keeps before its prefix is dropped. */
const TRIM_STEP = 256;
/** The same for topics created with a retention (dead-letter topics), unchanged from before TRIM_STEP. */
const RETAINED_TRIM_STEP = 4096;

/** Messages a group may hand out per event-loop turn through same-turn re-dispatches (bounds the turn's length). */
const TURN_BUDGET = 1024;

class Member {
  inflight = 0;
  closing = false;
  private drained: (() => void)[] = [];

  /** Called when a handler's promise settles (one function per member, not two closures per message). */
  readonly ended: () => void;

  constructor(
    readonly id: number,
    readonly group: Group,
    readonly topics: ReadonlySet<string>,
    readonly concurrency: number,
    readonly handler: MessageHandler,
    scheduleDispatch: () => void,
  ) {
    this.ended = () => {
      this.inflight--;
      if (this.inflight === 0 && this.drained.length > 0) for (const resolve of this.drained.splice(0)) resolve();
      if (!this.closing) scheduleDispatch();
    };
  }

  whenDrained(): Promise<void> {
    return this.inflight === 0 ? RESOLVED : new Promise((resolve) => this.drained.push(resolve));
  }
}

class Group {
  readonly members: Member[] = [];
  /** Cursors by topic name, one per partition. */
  readonly cursors = new Map<string, PartitionCursor[]>();
  dispatchScheduled = false;
  /** A same-turn (microtask) dispatch is queued. */
  soonScheduled = false;
  /** What same-turn dispatches may still hand out in this turn; refilled by the next-turn dispatch. */
  turnBudget = TURN_BUDGET;
  rotation = 0;
  /** Every cursor of the group, flattened for dispatch (rebuilt when cursors change), and each one's topic. */
  flatCursors: PartitionCursor[] | undefined;
  flatTopics: string[] = [];

  constructor(
    readonly name: string,
    readonly ordered: boolean,
    readonly startFrom: "earliest" | "latest",
    readonly exclusive: boolean,
  ) {}
}

export class EmbeddedBroker {
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, Group>();
  private readonly ackTimeoutMs: number;
  private readonly defaultPartitions: number;
  private readonly retainUnread: number;
  private nextMemberId = 1;
  private nextToken = 1;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly delayed = new Set<NodeJS.Timeout>();
  /** Cache of groupsOf(); cleared whenever a group is created, deleted or starts reading a topic. */
  private readonly readers = new Map<string, Group[]>();

  constructor(options: EmbeddedBrokerOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 300_000;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.retainUnread = options.retainUnread ?? 100_000;
  }

  ensureTopic(name: string, partitions: number, retentionSeconds?: number): void {
    const existing = this.topics.get(name);
    if (existing === undefined) {
      const topic = new TopicLog(name, partitions);
      topic.retentionSeconds = retentionSeconds;
      this.topics.set(name, topic);
      for (const group of this.groups.values()) if (group.cursors.has(name)) this.addCursors(group, topic);
      return;
    }
    if (existing.grow(partitions) > 0) for (const group of this.groups.values()) if (group.cursors.has(name)) this.addCursors(group, existing);
  }

  partitionsOf(name: string): number {
    return this.topics.get(name)?.partitions.length ?? 0;
  }

  publish(messages: readonly OutgoingMessage[]): void {
    let last: TopicLog | undefined;
    for (const m of messages) {
      let topic = last !== undefined && last.name === m.topic ? last : this.topics.get(m.topic);
      if (topic === undefined) {
        this.ensureTopic(m.topic, this.defaultPartitions);
        topic = this.topics.get(m.topic)!;
      }
      const count = topic.partitions.length;
      const partition = m.key !== undefined ? partitionForKey(m.key, count) : topic.nextUnkeyed++ % count;
      const log = topic.partitions[partition]!;
      log.messages.push(m);
      const readers = this.groupsOf(topic.name);
      if (readers.length === 0 && log.messages.length > this.retainUnread) log.trimBelow(log.end - this.retainUnread);
      if (topic !== last) for (const group of readers) this.schedule(group);
      last = topic;
    }
  }

  /** Groups reading a topic (cached; rebuilt when groups come or go). */
  private groupsOf(topic: string): readonly Group[] {
    let list = this.readers.get(topic);
    if (list === undefined) {
      list = [...this.groups.values()].filter((g) => g.cursors.has(topic));
      this.readers.set(topic, list);
    }
    return list;
  }

  /** Adds a member to its group (creating the group), returns a closer that drains and leaves. */
  join(options: MemberOptions, handler: MessageHandler): () => Promise<void> {
    const groupName = options.exclusive === true ? `${options.group}#${randomUUID()}` : options.group;
    let group = this.groups.get(groupName);
    if (group === undefined) {
      group = new Group(groupName, options.orderedByKey === true, options.startFrom ?? "earliest", options.exclusive === true);
      this.groups.set(groupName, group);
    }
    this.readers.clear();
    for (const name of options.topics) {
      if (!this.topics.has(name)) this.ensureTopic(name, this.defaultPartitions);
      if (!group.cursors.has(name)) {
        group.cursors.set(name, []);
        this.addCursors(group, this.topics.get(name)!);
      }
    }
    const member = new Member(this.nextMemberId++, group, new Set(options.topics), Math.max(1, options.concurrency), handler, () => this.scheduleSoon(group));
    group.members.push(member);
    this.startSweeper();
    this.schedule(group);
    return () => this.leave(member);
  }

  /** Stops timers. Members should have left already (the transports close them). */
  shutdown(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
  }

  /** Committed offset of a group in a partition (tests, lag metrics). */
  committedOffset(group: string, topic: string, partition: number): number | undefined {
    return this.groups.get(group)?.cursors.get(topic)?.[partition]?.committed;
  }

  /** Messages not yet acknowledged by a group (lag). */
  lag(group: string, topic: string): number {
    const cursors = this.groups.get(group)?.cursors.get(topic) ?? [];
    return cursors.reduce((sum, c) => sum + (c.log.end - c.committed), 0);
  }

  private addCursors(group: Group, topic: TopicLog): void {
    group.flatCursors = undefined;
    const cursors = group.cursors.get(topic.name)!;
    // A partition added later starts at its beginning: its messages are all new to the group.
    const start = cursors.length === 0 ? group.startFrom : "earliest";
    for (let p = cursors.length; p < topic.partitions.length; p++) {
      cursors.push(new PartitionCursor(topic.partitions[p]!, p, start, group.ordered));
    }
  }

  private async leave(member: Member): Promise<void> {
    if (member.closing) return member.whenDrained();
    member.closing = true;
    await member.whenDrained();
    const group = member.group;
    // Whatever this member still holds unacknowledged ("crashed" handlers) goes back to the group.
    for (const cursors of group.cursors.values()) {
      for (const cursor of cursors) {
        for (const delivery of cursor.inflightDeliveries()) {
          if (delivery.memberId !== member.id) continue;
          cursor.release(delivery);
          cursor.requeue(delivery.position);
        }
      }
    }
    const index = group.members.indexOf(member);
    if (index >= 0) group.members.splice(index, 1);
    if (group.exclusive && group.members.length === 0) {
      this.groups.delete(group.name);
      this.readers.clear();
    }
    else this.schedule(group);
    if (this.groups.size === 0) this.shutdown();
  }

  private schedule(group: Group): void {
    if (group.dispatchScheduled) return;
    group.dispatchScheduled = true;
    setImmediate(() => {
      group.dispatchScheduled = false;
      group.turnBudget = TURN_BUDGET; // a new turn
      this.dispatch(group);
    });
  }

  /** Dispatch again in this turn (after a handler ended or an ack) while the turn's budget lasts; else next turn. */
  private scheduleSoon(group: Group): void {
    if (group.turnBudget <= 0) {
      this.schedule(group);
      return;
    }
    if (group.soonScheduled) return;
    group.soonScheduled = true;
    // Queued behind the reactions already pending: handlers handed out together end together, and one dispatch
    // refills all their slots at once.
    // RESOLVED.then rather than queueMicrotask: no AsyncResource wrapper per dispatch.
    void RESOLVED.then(() => {
      group.soonScheduled = false;
      group.turnBudget -= this.dispatch(group);
      if (group.turnBudget <= 0) this.schedule(group);
    });
  }

  /** Hands out what members have room for; returns the number of messages handed out. */
  private dispatch(group: Group): number {
    const members = group.members;
    if (members.length === 0) return 0;
    let cursors = group.flatCursors;
    if (cursors === undefined) {
      cursors = [];
      group.flatTopics = [];
      for (const [topic, list] of group.cursors) {
        for (const c of list) {
          cursors.push(c);
          group.flatTopics.push(topic);
        }
      }
      group.flatCursors = cursors;
    }
    const topicOf = group.flatTopics;
    if (cursors.length === 0) return 0;
    let handed = 0;
    const now = Date.now(); // one clock read per dispatch round, not per message
    // Members take turns; each takes from partitions in rotation until it is full or nothing is left.
    for (let m = 0; m < members.length; m++) {
      const member = members[(group.rotation + m) % members.length]!;
      if (member.closing) continue;
      let idle = 0;
      let p = group.rotation % cursors.length;
      while (member.inflight < member.concurrency && idle < cursors.length) {
        const cursor = cursors[p]!;
        const topic = topicOf[p]!;
        p = (p + 1) % cursors.length;
        if (!member.topics.has(topic)) {
          idle++;
          continue;
        }
        const offset = cursor.take();
        if (offset < 0) {
          idle++;
          continue;
        }
        idle = 0;
        handed++;
        this.hand(member, cursor, offset, cursor.log.at(offset)!, now);
      }
    }
    group.rotation++;
    return handed;
  }

  private hand(member: Member, cursor: PartitionCursor, offset: number, stored: StoredMessage, now: number): void {
    // One object is both the cursor's Delivery record and the subscriber's ReceivedMessage.
    const received = new EmbeddedDelivery(this, member.group, cursor, stored, offset, this.nextToken++, member.id, now);
    cursor.deliver(received);
    member.inflight++;
    let result: Promise<void>;
    try {
      result = member.handler(received);
    } catch (error) {
      result = Promise.reject(error);
    }
    // A handler that ends without ack/nack keeps the message until its member leaves (crash semantics).
    result.then(member.ended, member.ended);
  }

  /** @internal ack of an EmbeddedDelivery. */
  settleAck(group: Group, cursor: PartitionCursor, delivery: Delivery, stored: StoredMessage): void {
    if (!cursor.isCurrent(delivery)) return; // timed out and handed to someone else
    cursor.ack(delivery, stored.key);
    this.maybeTrim(cursor, stored.topic);
    this.scheduleSoon(group);
  }

  /** @internal nack of an EmbeddedDelivery. */
  settleNack(group: Group, cursor: PartitionCursor, delivery: Delivery, options: NackOptions | undefined): void {
    if (!cursor.isCurrent(delivery)) return;
    cursor.release(delivery, options?.headers);
    this.redeliver(group, cursor, delivery.position, options?.delayMs ?? 0);
  }



  private redeliver(group: Group, cursor: PartitionCursor, offset: number, delayMs: number): void {
    if (delayMs <= 0) {
      cursor.requeue(offset);
      this.schedule(group);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      cursor.requeue(offset);
      this.schedule(group);
    }, delayMs);
    this.delayed.add(timer);
  }

  /**
   * Drops the log prefix every group of the topic has committed (keeps memory flat under load). Trimmed early
   * (every TRIM_STEP committed messages): handled messages kept in the log survive young-generation collections
   * and get promoted to the old heap; at 4,096 per partition that copying was a visible share of GC time.
   */
  private maybeTrim(cursor: PartitionCursor, topic: string): void {
    const log = cursor.log;
    if (cursor.committed - log.base < TRIM_STEP) return;
    // Topics with a retention (dead-letter topics: message_retention) keep their letters as long as before.
    if (cursor.committed - log.base < RETAINED_TRIM_STEP && this.topics.get(topic)?.retentionSeconds !== undefined) return;
    let low = cursor.committed;
    for (const group of this.groupsOf(topic)) {
      const other = group.cursors.get(topic)?.[cursor.partition];
      if (other !== undefined && other.committed < low) low = other.committed;
    }
    log.trimBelow(low);
  }

  private startSweeper(): void {
    if (this.sweeper !== undefined) return;
    const every = Math.max(50, Math.min(5_000, Math.floor(this.ackTimeoutMs / 4)));
    this.sweeper = setInterval(() => this.sweepTimedOut(), every);
    this.sweeper.unref();
  }

  /** Deliveries older than ackTimeoutMs go back to their group (the late ack is ignored). */
  private sweepTimedOut(): void {
    const limit = Date.now() - this.ackTimeoutMs;
    for (const group of this.groups.values()) {
      for (const cursors of group.cursors.values()) {
        for (const cursor of cursors) {
          for (const delivery of cursor.inflightDeliveries()) {
            if (delivery.startedAt > limit) continue;
            cursor.release(delivery);
            this.redeliver(group, cursor, delivery.position, 0);
          }
        }
      }
    }
  }
}

/**
 * One delivery handed to a subscriber, and the cursor's record of it (a class, not closures and not two objects:
 * this is allocated for every message).
 */
class EmbeddedDelivery implements ReceivedMessage, Delivery {
  readonly topic: string;
  readonly partition: number;
  readonly key?: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly id: string;
  count = 0;
  inflight = false;
  prevInflight: Delivery | undefined = undefined;
  nextInflight: Delivery | undefined = undefined;
  private settled = false;

  constructor(
    private readonly broker: EmbeddedBroker,
    private readonly group: Group,
    private readonly cursor: PartitionCursor,
    private readonly stored: StoredMessage,
    readonly position: number,
    readonly token: number,
    readonly memberId: number,
    readonly startedAt: number,
  ) {
    this.topic = stored.topic;
    this.partition = cursor.partition;
    if (stored.key !== undefined) this.key = stored.key;
    this.body = stored.body;
    this.headers = cursor.headersFor(position, stored);
    this.id = stored.id;
  }

  get offset(): string {
    return String(this.position);
  }

  get deliveryCount(): number {
    return this.count;
  }

  ack(): Promise<void> {
    if (!this.settled) {
      this.settled = true;
      this.broker.settleAck(this.group, this.cursor, this, this.stored);
    }
    return SETTLED;
  }

  nack(options?: NackOptions): Promise<void> {
    if (!this.settled) {
      this.settled = true;
      this.broker.settleNack(this.group, this.cursor, this, options);
    }
    return SETTLED;
  }
}
