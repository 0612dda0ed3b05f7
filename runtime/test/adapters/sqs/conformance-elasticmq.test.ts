// The transport conformance suite on ElasticMQ (SQS only: the adapter fans out to the group queues itself).
import { createAwsTransport } from "../../../src/adapters/sqs/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { ELASTICMQ_ENDPOINT, TEST_CREDENTIALS, elasticMqSkip, seedAwsConfig, testContext } from "./support.js";

const skip = await elasticMqSkip();
// Short long-poll waits keep closing fast; visibility stays the seed's 30 s (extended while handlers run).
const config = seedAwsConfig({ sqs: { wait_time_seconds: 1 } });

describeTransportConformance(
  "aws (ElasticMQ, SQS fan-out)",
  async () => createAwsTransport(config, testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: ELASTICMQ_ENDPOINT })),
  { skip, timeScale: 2 },
);
