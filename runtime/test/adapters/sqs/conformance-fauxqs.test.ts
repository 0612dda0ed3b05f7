// The transport conformance suite on fauxqs (SNS topic per topic, SQS queue per group, raw delivery).
// fauxqs is an npm dev dependency: the test starts it in-process on a free loopback port.
import { afterAll } from "vitest";
import { createAwsTransport } from "../../../src/adapters/sqs/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { TEST_CREDENTIALS, seedAwsConfig, startFauxqs, testContext } from "./support.js";

const fauxqs = await startFauxqs();
afterAll(() => fauxqs.stop());
const config = seedAwsConfig({ sqs: { wait_time_seconds: 1 } });

describeTransportConformance(
  "aws (fauxqs, SNS fan-out)",
  async () =>
    createAwsTransport(config, testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: fauxqs.endpoint, HYPC_SNS_ENDPOINT: fauxqs.endpoint })),
  { timeScale: 2 },
);
