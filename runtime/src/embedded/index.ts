export { EmbeddedBroker, type EmbeddedBrokerOptions } from "./broker.js";
export { EmbeddedTransport, createEmbeddedTransport, type EmbeddedTransportOptions } from "./transport.js";
