// Semantic analysis: runs after the structural check (src/check/validate-spec.ts), resolves every
// reference of the merged configuration, gives expert advice, and lowers the result to the Topology the
// runtime reads. Tolerant: whatever is malformed was reported structurally and is skipped here; this
// never throws on user input. The rules are documented for users in docs/resolution.md.
import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Topology } from "@hypc/runtime";
import { collect } from "./passes/collect.js";
import { createContext } from "./passes/context.js";
import { checkEvents } from "./passes/events.js";
import { resolveBrokers } from "./passes/brokers.js";
import { checkProducers } from "./passes/producers.js";
import { resolveConsumerTopics, resolveProducerTopics } from "./passes/topics.js";
import { checkChannels, checkExchanges } from "./passes/channels.js";
import { checkConsumerHandlers } from "./passes/consumers.js";
import { checkHandlerNames } from "./passes/handler-names.js";
import { checkDeadLetter } from "./passes/dead-letter.js";
import { checkOrdering } from "./passes/ordering.js";
import { checkKafkaAdvice } from "./passes/kafka-advice.js";
import { checkGuarantees } from "./passes/guarantees.js";
import { lowerTopology } from "./lower/topology.js";

export function analyze(program: Program): { topology: Topology | undefined; diagnostics: Diagnostic[] } {
  const ctx = createContext(collect(program));
  // Order matters: each pass reads what the earlier ones derived (see each pass's header).
  checkEvents(ctx);
  resolveBrokers(ctx);
  checkProducers(ctx);
  resolveProducerTopics(ctx);
  checkChannels(ctx);
  checkExchanges(ctx);
  checkDeadLetter(ctx);
  resolveConsumerTopics(ctx);
  checkConsumerHandlers(ctx);
  checkHandlerNames(ctx);
  checkOrdering(ctx);
  checkKafkaAdvice(ctx);
  checkGuarantees(ctx);
  return { topology: lowerTopology(ctx), diagnostics: ctx.diagnostics };
}
