import { createRabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { rabbitSkip, seedConfig, testContext } from "./support.js";

// The seed's settings (heartbeat 60 s, confirms, recovery on), pointed at the local broker.
describeTransportConformance("rabbitmq", async () => createRabbitMqTransport(seedConfig(), testContext()), {
  skip: await rabbitSkip(),
});
