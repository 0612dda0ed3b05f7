// The shared transport conformance suite against a real Kafka (scripts/brokers/kafka.sh start), with the
// seed's settings (acks all, idempotence, snappy, linger 5 ms, commit only after ack).
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { kafkaSkip, seedGuarantees, seedKafkaConfig, testContext } from "./support.js";

const skip = await kafkaSkip();
// Short sessions: the suite closes transports "crashed" and expects the group to move on quickly.
const config = seedKafkaConfig({ consumer: { session_timeout_ms: 6000, heartbeat_interval_ms: 500 } });
describeTransportConformance("kafka", async () => createKafkaTransport(config, testContext()), { skip });
// The seed's full policy (exactly_once.transactional on): publishes made while handling go out with the ack.
describeTransportConformance("kafka (transactional)", async () => createKafkaTransport(config, testContext({ guarantees: seedGuarantees() })), { skip });
