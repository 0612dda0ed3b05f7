// Lag of consumer groups on the embedded broker: messages of the group's topics it has not acknowledged yet.
import type { EmbeddedBroker } from "../embedded/broker.js";
import type { LagSource } from "./sources.js";

export function embeddedLagSource(broker: EmbeddedBroker, groupTopics: ReadonlyMap<string, readonly string[]>): LagSource {
  return async (group) => (groupTopics.get(group) ?? []).reduce((sum, topic) => sum + broker.lag(group, topic), 0);
}
