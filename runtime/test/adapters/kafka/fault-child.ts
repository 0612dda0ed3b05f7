// Child process of faults.test.ts: consumes a topic in a group, records each handled message id (append,
// before ack) and is SIGKILLed by the parent mid-batch. Env: TOPIC, GROUP, OUT, HYPC_KAFKA_BOOTSTRAP_SERVERS.
import { appendFileSync } from "node:fs";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import { seedKafkaConfig, testContext } from "./support.js";

const { TOPIC, GROUP, OUT } = process.env;
if (!TOPIC || !GROUP || !OUT) throw new Error("TOPIC, GROUP and OUT are required");
const transport = createKafkaTransport(seedKafkaConfig({ consumer: { session_timeout_ms: 6000, heartbeat_interval_ms: 500 } }), testContext());
await transport.connect();
await transport.subscribe({ group: GROUP, topics: [TOPIC], concurrency: 4 }, async (m) => {
  await new Promise((r) => setTimeout(r, 15));
  appendFileSync(OUT, `${m.id}\n`);
  await m.ack();
});
process.stdout.write("subscribed\n");
