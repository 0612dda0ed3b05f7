import { EmbeddedBroker, EmbeddedTransport } from "../../src/embedded/index.js";
import { describeTransportConformance } from "../conformance/suite.js";

// One broker shared by every transport the suite opens: crash recovery needs a second "process" on the same data.
const broker = new EmbeddedBroker({ ackTimeoutMs: 10_000 });
describeTransportConformance("embedded", async () => new EmbeddedTransport({ broker }));
