// Dead letters waiting for a human (dead_letter_queue.dlq_handlers.<group>.ui). The inbox is fed by the group's
// DLQ handler (inboxHandler) and emptied by replay/discard through the HTTP endpoint.
// Never drop: a full inbox refuses a letter by throwing, so the DLQ consumer redelivers it and finally parks it on
// `<dlq>.parked`; the letter is never lost silently. The in-memory inbox does not survive a restart: letters it
// held were acknowledged on the DLQ (docs/monitoring.md says so; a persistent inbox implements the same interface).
import { createHash } from "node:crypto";
import type { DeadLetter, DeadLetterHandler } from "../api.js";

export interface InboxEntry {
  /** The envelope's message_id, or a hash of body, topic and failure time for letters without an envelope. */
  readonly id: string;
  readonly letter: DeadLetter;
  /** ISO-8601 UTC, when the inbox received it. */
  readonly receivedAt: string;
}

export interface DeadLetterInbox {
  /** Adds a letter (a redelivered letter with an id already held is kept once). Rejects when it cannot hold it. */
  add(letter: DeadLetter): Promise<InboxEntry>;
  /** Oldest first. */
  list(): Promise<readonly InboxEntry[]>;
  get(id: string): Promise<InboxEntry | undefined>;
  /** True when the letter was there. */
  remove(id: string): Promise<boolean>;
}

export class InboxFullError extends Error {
  readonly retriable = true;
  constructor(capacity: number) {
    super(`dead-letter inbox is full (${capacity} letters): the letter stays on the dead-letter queue until some are replayed or discarded`);
    this.name = "InboxFullError";
  }
}

export function deadLetterId(letter: DeadLetter): string {
  const messageId = letter.envelope?.metadata?.message_id;
  if (typeof messageId === "string" && messageId.length > 0) return messageId;
  const hash = createHash("sha256").update(letter.reason.originalTopic).update("\0").update(letter.reason.failedAt).update("\0").update(letter.body).digest("hex");
  return `raw-${hash.slice(0, 24)}`;
}

export class MemoryDeadLetterInbox implements DeadLetterInbox {
  private readonly entries = new Map<string, InboxEntry>();

  constructor(
    private readonly capacity = 10_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(letter: DeadLetter): Promise<InboxEntry> {
    const id = deadLetterId(letter);
    const existing = this.entries.get(id);
    if (existing !== undefined) return existing;
    if (this.entries.size >= this.capacity) throw new InboxFullError(this.capacity);
    const entry: InboxEntry = { id, letter, receivedAt: this.now().toISOString() };
    this.entries.set(id, entry);
    return entry;
  }

  async list(): Promise<readonly InboxEntry[]> {
    return [...this.entries.values()];
  }

  async get(id: string): Promise<InboxEntry | undefined> {
    return this.entries.get(id);
  }

  async remove(id: string): Promise<boolean> {
    return this.entries.delete(id);
  }
}

/**
 * The DLQ handler of a manual-processing group: every dead letter it receives waits in the inbox, then the app's
 * own handler for the group (if any: notifications, tickets) runs. The inbox comes first so a failing app handler
 * never keeps a letter from the humans; its redelivery finds the letter already filed (same id, kept once).
 */
export function inboxHandler(inbox: DeadLetterInbox, appHandler?: DeadLetterHandler): DeadLetterHandler {
  return async (letter, context) => {
    await inbox.add(letter);
    if (appHandler !== undefined) await appHandler(letter, context);
  };
}
