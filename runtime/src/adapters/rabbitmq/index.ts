// Factory of the RabbitMQ transport (amqplib), loaded lazily by the runtime core (see ../context.ts).
import type { RabbitMqConfig } from "../../topology.js";
import type { Transport } from "../../transport.js";
import type { AdapterContext } from "../context.js";
import { resolveSettings } from "./settings.js";
import { RabbitMqTransport } from "./transport.js";

export function createRabbitMqTransport(config: RabbitMqConfig, ctx: AdapterContext): Transport {
  return new RabbitMqTransport({
    settings: resolveSettings(config, ctx),
    logger: ctx.logger,
    topology: ctx.topology,
    orderingEnabled: ctx.guarantees?.message_ordering?.enabled === true,
  });
}

export { RabbitMqTransport } from "./transport.js";
export { resolveSettings, type RabbitSettings } from "./settings.js";
