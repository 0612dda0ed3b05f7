import { afterAll } from "vitest";
import { createRabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { createVhost, deleteVhost, rabbitmqctlAvailable } from "./rabbitmqctl.js";
import { RABBIT_URL, rabbitSkip, seedConfig, testContext } from "./support.js";

// The seed's settings (heartbeat 60 s, confirms, recovery on), pointed at the local broker. With
// rabbitmqctl the suite runs in a vhost of its own, deleted afterwards (its durable queues go with it).
const skip = await rabbitSkip();
const vhost = `hypc-conformance-${Date.now().toString(36)}`;
const ownVhost = skip === false && (await rabbitmqctlAvailable());
const url = new URL(RABBIT_URL);
if (ownVhost) {
  await createVhost(vhost);
  url.pathname = `/${encodeURIComponent(vhost)}`;
}
afterAll(async () => {
  if (ownVhost) await deleteVhost(vhost);
});

describeTransportConformance("rabbitmq", async () => createRabbitMqTransport(seedConfig(), testContext({ HYPC_RABBITMQ_URL: url.toString() })), {
  skip,
});
