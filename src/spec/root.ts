// The root of the spec: every top-level block of a .hyp configuration, in the seed's order.
import { obj } from "./define.js";
import { messagingBlock } from "./blocks/messaging.js";
import { eventsBlock } from "./blocks/events.js";
import { eventProducersBlock } from "./blocks/producers.js";
import { eventConsumersBlock } from "./blocks/consumers.js";
import { deadLetterQueueBlock, pubSubBlock, requestReplyBlock } from "./blocks/patterns.js";
import { messageGuaranteesBlock, messageMonitoringBlock } from "./blocks/policies.js";
import type { ObjectSpec } from "./types.js";

export const rootSpec: ObjectSpec = obj("A HypnoScript messaging configuration", {
  messaging: messagingBlock,
  events: eventsBlock,
  event_producers: eventProducersBlock,
  event_consumers: eventConsumersBlock,
  request_reply: requestReplyBlock,
  pub_sub: pubSubBlock,
  dead_letter_queue: deadLetterQueueBlock,
  message_guarantees: messageGuaranteesBlock,
  message_monitoring: messageMonitoringBlock,
});

export const blockNames: readonly string[] = Object.keys(rootSpec.fields);
