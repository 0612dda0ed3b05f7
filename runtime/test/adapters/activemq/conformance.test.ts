// The transport conformance suite on ActiveMQ Artemis over AMQP 1.0.
import { createActiveMqTransport } from "../../../src/adapters/activemq/index.js";
import { describeTransportConformance } from "../../conformance/suite.js";
import { testContext } from "../sqs/support.js";
import { ACTIVEMQ_ENV, artemisSkip, seedActiveMqConfig } from "./support.js";

const skip = await artemisSkip();
describeTransportConformance("activemq (Artemis, AMQP 1.0)", async () => createActiveMqTransport(seedActiveMqConfig(), testContext(ACTIVEMQ_ENV)), { skip });
