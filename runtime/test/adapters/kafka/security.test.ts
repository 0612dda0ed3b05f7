// SASL PLAIN and SSL against the local broker's extra listeners (scripts/brokers/kafka.sh: SASL_PLAINTEXT on
// 9094 with user hypc/hypc-secret, SSL on 9095 with a certificate of a CA it generates under
// .brokers/kafka/tls/ca.pem). Env: HYPC_KAFKA_SASL_BOOTSTRAP, HYPC_KAFKA_SSL_BOOTSTRAP, HYPC_KAFKA_SSL_CA_FILE.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import { TransportError } from "../../../src/errors.js";
import type { Transport } from "../../../src/transport.js";
import { requireOrSkip } from "../../support/brokers.js";
import { kafkaSkip, seedKafkaConfig, testContext } from "./support.js";

const SASL = process.env.HYPC_KAFKA_SASL_BOOTSTRAP ?? "127.0.0.1:9094";
const SSL = process.env.HYPC_KAFKA_SSL_BOOTSTRAP ?? "127.0.0.1:9095";
const CA = process.env.HYPC_KAFKA_SSL_CA_FILE ?? fileURLToPath(new URL("../../../../.brokers/kafka/tls/ca.pem", import.meta.url));
const skipSasl = await kafkaSkip(SASL);
const skipSsl = (await kafkaSkip(SSL)) || (existsSync(CA) ? false : requireOrSkip(false, `CA file ${CA} missing (scripts/brokers/kafka.sh start generates it)`));

async function roundTrip(t: Transport): Promise<string> {
  const topic = `hypc-sec-${randomUUID().slice(0, 8)}`;
  await t.connect();
  await t.ensureTopics([{ name: topic, partitions: 1 }]);
  let got = "";
  const sub = await t.subscribe({ group: `${topic}-g`, topics: [topic], concurrency: 1 }, async (m) => {
    got = m.body.toString();
    await m.ack();
  });
  await t.publish([{ topic, key: "k", body: Buffer.from("secret hello"), headers: {}, id: randomUUID() }]);
  for (let i = 0; i < 200 && got === ""; i++) await new Promise((r) => setTimeout(r, 50));
  await sub.close();
  return got;
}

describe.skipIf(skipSasl !== false)("kafka SASL PLAIN (seed: sasl_mechanism PLAIN, username/password from env)", () => {
  const env = (password: string) => ({ HYPC_KAFKA_BOOTSTRAP_SERVERS: SASL, HYPC_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", KAFKA_USERNAME: "hypc", KAFKA_PASSWORD: password });

  it("authenticates with the env credentials and moves messages", { timeout: 60_000 }, async () => {
    const t = createKafkaTransport(seedKafkaConfig(), testContext({ env: env("hypc-secret") }));
    try {
      expect(await roundTrip(t)).toBe("secret hello");
    } finally {
      await t.close();
    }
  });

  it("a wrong password fails connect() with a non-retriable TransportError", { timeout: 60_000 }, async () => {
    const t = createKafkaTransport(seedKafkaConfig(), testContext({ env: env("wrong") }));
    const error = await t.connect().then(() => undefined, (e: unknown) => e);
    await t.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/SASL|auth/i);
    expect((error as TransportError).retriable).toBe(false);
  });
});

describe.skipIf(skipSsl !== false)("kafka SSL (seed: ssl_enabled true) with a private CA", () => {
  it("verifies the broker with the CA file and moves messages", { timeout: 60_000 }, async () => {
    const config = seedKafkaConfig({ producer: { security: { ssl_enabled: true } }, consumer: { security: { ssl_enabled: true } } });
    const t = createKafkaTransport(config, testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: SSL, HYPC_KAFKA_SECURITY_PROTOCOL: "SSL", HYPC_KAFKA_SSL_CA_FILE: CA } }));
    try {
      expect(await roundTrip(t)).toBe("secret hello");
    } finally {
      await t.close();
    }
  });

  it("refuses a broker whose certificate it cannot verify (no CA given)", { timeout: 60_000 }, async () => {
    const t = createKafkaTransport(seedKafkaConfig(), testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: SSL, HYPC_KAFKA_SECURITY_PROTOCOL: "SSL" } }));
    const error = await t.connect().then(() => undefined, (e: unknown) => e);
    await t.close();
    expect(error).toBeInstanceOf(TransportError);
  });
});
