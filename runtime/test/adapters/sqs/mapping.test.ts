// Pure parts of the AWS adapter: seed settings -> client settings, names, attribute encoding.
import { describe, expect, it } from "vitest";
import { awsSettings } from "../../../src/adapters/sqs/settings.js";
import { decodeMessage, encodeMessage } from "../../../src/adapters/sqs/attributes.js";
import { deadLetterQueueName, groupQueueName, groupQueuePrefix, isGroupQueueOf, snsTopicName } from "../../../src/adapters/sqs/naming.js";
import { ConfigError } from "../../../src/errors.js";
import type { GuaranteesConfig, ProducerRoute, ResolvedProducer, RetryPolicy } from "../../../src/topology.js";
import { TEST_CREDENTIALS, emptyTopology, seedAwsConfig, testContext } from "./support.js";

const retry = (max_retries: number): RetryPolicy => ({ max_retries, backoff_strategy: "exponential", initial_delay: 1000, max_delay: 30000, multiplier: 2, jitter: 0 });

describe("aws settings from the seed block", () => {
  it("maps every seed key", () => {
    const s = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS }));
    expect(s).toMatchObject({
      region: "eu-west-1",
      credentials: { accessKeyId: "hypc-test", secretAccessKey: "hypc-test-secret" },
      mode: "sns", // no endpoint override: real AWS, SNS fan-out
      maxMessages: 10,
      visibilityTimeoutS: 30,
      waitTimeS: 20,
      queueReceiveWaitS: 20,
      retentionS: 1209600,
      snsMessageStructure: "json",
      messageAttributes: true,
    });
  });

  it("uses publisher-side fan-out when only an SQS endpoint is given, SNS when both are", () => {
    const sqsOnly = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: "http://127.0.0.1:9324" }));
    expect(sqsOnly.mode).toBe("sqs");
    expect(sqsOnly.sqsEndpoint).toBe("http://127.0.0.1:9324");
    const both = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: "http://127.0.0.1:4566", HYPC_SNS_ENDPOINT: "http://127.0.0.1:4566" }));
    expect(both.mode).toBe("sns");
  });

  it("ignores an SNS emulator that is not the SQS server (it could not deliver to those queues)", () => {
    const split = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: "http://127.0.0.1:9324", HYPC_SNS_ENDPOINT: "http://127.0.0.1:4566" }));
    expect(split.mode).toBe("sqs");
    expect(split.snsEndpoint).toBeUndefined();
    // Real, non-local endpoints differ by design (sqs.* vs sns.*): SNS fan-out stays.
    const aws = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: "https://sqs.eu-west-1.amazonaws.com", HYPC_SNS_ENDPOINT: "https://sns.eu-west-1.amazonaws.com" }));
    expect(aws.mode).toBe("sns");
  });

  it("clamps values to what SQS accepts", () => {
    const s = awsSettings(
      seedAwsConfig({ sqs: { max_messages: 50, wait_time_seconds: 60, message_retention_period: 10, visibility_timeout: 0 } }),
      testContext({ ...TEST_CREDENTIALS }),
    );
    expect([s.maxMessages, s.waitTimeS, s.retentionS, s.visibilityTimeoutS]).toEqual([10, 20, 60, 1]);
  });

  it("names the missing credential variable", () => {
    expect(() => awsSettings(seedAwsConfig(), testContext({ AWS_ACCESS_KEY_ID: "x" }))).toThrow(ConfigError);
    expect(() => awsSettings(seedAwsConfig(), testContext({ AWS_ACCESS_KEY_ID: "x" }))).toThrow(/AWS_SECRET_ACCESS_KEY/);
  });

  it("derives the redrive maxReceiveCount from the retry policies and FIFO topics from keyed routes", () => {
    const route: ProducerRoute = { eventType: "script.created", topic: "hypnoscript.events.script-events", partitionKey: "script_id", retry: retry(5) };
    const producer = { name: "p", broker: "aws_messaging", routes: [route] } as unknown as ResolvedProducer;
    const topology = emptyTopology({
      producers: [producer],
      guarantees: { message_ordering: { enabled: true } } as unknown as GuaranteesConfig,
    });
    const s = awsSettings(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS }, topology));
    expect(s.maxReceiveCount).toBe(7);
    expect([...s.fifoTopics]).toEqual(["hypnoscript.events.script-events"]);
  });
});

describe("aws names", () => {
  it("maps dotted topic names to valid, distinct SNS/SQS names", () => {
    expect(snsTopicName("hypnoscript.events.script-events", false)).toBe("hypnoscript_events_script-events");
    expect(snsTopicName("hypnoscript.events.script-events", true)).toBe("hypnoscript_events_script-events.fifo");
    const q = groupQueueName("hypnoscript.events.script-events", "script-processor-group", true);
    expect(q).toBe("hypnoscript_events_script-events__script-processor-group.fifo");
    expect(deadLetterQueueName(q)).toBe("hypnoscript_events_script-events__script-processor-group__dlq.fifo");
  });

  it("keeps every queue name within 80 characters and inside the topic's prefix", () => {
    const topic = "t".repeat(120);
    for (const group of ["g", "g".repeat(200), "a__b..c"]) {
      for (const fifo of [false, true]) {
        const name = groupQueueName(topic, group, fifo);
        expect(deadLetterQueueName(name).length).toBeLessThanOrEqual(80);
        expect(name).toMatch(/^[A-Za-z0-9_-]+(\.fifo)?$/);
        expect(isGroupQueueOf(groupQueuePrefix(topic), name)).toBe(true);
        expect(isGroupQueueOf(groupQueuePrefix(topic), deadLetterQueueName(name))).toBe(false);
      }
    }
    expect(groupQueueName(topic, "g".repeat(200), false)).not.toBe(groupQueueName(topic, `${"g".repeat(199)}h`, false));
  });

  it("does not count another topic's queues as its own", () => {
    expect(isGroupQueueOf(groupQueuePrefix("a"), groupQueueName("a__b", "g", false))).toBe(false);
    expect(isGroupQueueOf(groupQueuePrefix("a"), groupQueueName("a", "g", false))).toBe(true);
  });
});

describe("aws message attributes", () => {
  const message = (headers: Record<string, string>, body = Buffer.from('{"event_type":"x"}')) => ({ topic: "t", key: "user-1", id: "id-1", body, headers });
  const roundTrip = (m: ReturnType<typeof message>, jsonStructure = false) => {
    const e = encodeMessage(m, { withHeaders: true, jsonStructure });
    return { encoded: e, decoded: decodeMessage(e.body, e.attributes) };
  };

  it("sends headers one attribute each when they fit, and reads them back", () => {
    const { encoded, decoded } = roundTrip(message({ "x-trace-id": "t1", "x-correlation-id": "c1" }));
    expect(Object.keys(encoded.attributes).sort()).toEqual(["hypc-id", "hypc-key", "x-correlation-id", "x-trace-id"]);
    expect(decoded).toEqual({ body: Buffer.from('{"event_type":"x"}'), headers: { "x-trace-id": "t1", "x-correlation-id": "c1" }, id: "id-1", key: "user-1" });
  });

  it("packs headers into one attribute beyond the 10-attribute limit or for invalid names/values", () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`x-h${i}`, `v${i}`]));
    for (const headers of [many, { "bad name!": "v" }, { "x-empty": "" }]) {
      const { encoded, decoded } = roundTrip(message(headers));
      expect(Object.keys(encoded.attributes).length).toBeLessThanOrEqual(10);
      expect(encoded.attributes["hypc-headers"]).toBeDefined();
      expect(decoded.headers).toEqual(headers);
    }
  });

  it("base64-encodes bodies SQS cannot carry as text", () => {
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const { encoded, decoded } = roundTrip(message({}, binary));
    expect(encoded.attributes["hypc-encoding"]?.StringValue).toBe("base64");
    expect(decoded.body.equals(binary)).toBe(true);
  });

  it("base64-encodes malformed UTF-8 even when its text has the same length, and keeps a real U+FFFD as text", () => {
    // A truncated 4-byte sequence decodes to one U+FFFD (3 bytes): same length as the input.
    const truncated = Buffer.from([0xf0, 0x9f, 0x98, 0x41]);
    const { encoded, decoded } = roundTrip(message({}, truncated));
    expect(encoded.attributes["hypc-encoding"]?.StringValue).toBe("base64");
    expect(decoded.body.equals(truncated)).toBe(true);
    const replacement = Buffer.from("ok \uFFFD", "utf8");
    expect(roundTrip(message({}, replacement)).encoded.attributes["hypc-encoding"]).toBeUndefined();
  });

  it("wraps for SNS MessageStructure json and unwraps both the map (emulators) and the delivered value (AWS)", () => {
    const { encoded, decoded } = roundTrip(message({ "x-trace-id": "t" }), true);
    expect(JSON.parse(encoded.body)).toEqual({ default: '{"event_type":"x"}' });
    expect(decoded.body.toString()).toBe('{"event_type":"x"}');
    // Real SNS delivers the "default" value itself, attributes unchanged.
    expect(decodeMessage('{"event_type":"x"}', encoded.attributes).body.toString()).toBe('{"event_type":"x"}');
  });
});
