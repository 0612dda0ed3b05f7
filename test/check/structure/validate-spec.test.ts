import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateAgainstSpec } from "../../../src/check/validate-spec.js";
import { programOf } from "./program-of.js";

function check(...sources: Parameters<typeof programOf>) {
  const { program, syntax } = programOf(...sources);
  expect(syntax, "test input must parse").toEqual([]);
  return validateAgainstSpec(program);
}

const codesOf = (text: string) => check(text).map((d) => d.code);

describe("validateAgainstSpec on the seed", () => {
  it("reports nothing for the product owner's configuration", () => {
    const seed = readFileSync(new URL("../../../fixtures/seed/messaging.hyp", import.meta.url), "utf8");
    expect(check(seed)).toEqual([]);
  });
});

describe("unknown blocks and keys", () => {
  it("reports an unknown block with suggestions", () => {
    const [d] = check("mesaging { }");
    expect(d).toMatchObject({ code: "HYP2001", suggestions: ["messaging"] });
    expect(d!.span).toMatchObject({ line: 1, column: 1 });
  });

  it("reports an unknown key with its path and suggestions", () => {
    const [d, ...rest] = check('messaging { kafka: { bootstrap_servers: ["127.0.0.1:9092"], producer: { ack: "all" } } }');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "HYP2002", suggestions: ["acks"] });
    expect(d!.message).toContain("`ack` in `messaging.kafka.producer`");
  });
});

describe("types", () => {
  it("reports a string where a number belongs, with the fixed value as help", () => {
    const [d] = check('messaging { rabbitmq: { port: "5672" } }');
    expect(d).toMatchObject({ code: "HYP2003" });
    expect(d!.message).toContain("whole number");
    expect(d!.message).toContain('"5672"');
    expect(d!.help).toContain("port: 5672");
  });

  it("reports a fraction where a whole number belongs", () => {
    expect(codesOf("messaging { rabbitmq: { port: 56.5 } }")).toEqual(["HYP2003"]);
  });

  it("accepts integers where decimals belong", () => {
    expect(codesOf("message_monitoring { alerting: { error_rate: { threshold: 1 } } }")).toEqual([]);
  });

  it("reports a number where an enum string belongs, suggesting the quoted value", () => {
    const [d] = check("message_guarantees { at_least_once: { producer: { acks: 1 } } }");
    expect(d).toMatchObject({ code: "HYP2003" });
    expect(d!.help).toContain('acks: "1"');
  });

  it("reports env references where literals belong", () => {
    expect(codesOf("messaging { rabbitmq: { host: env.RABBIT_HOST } }")).toEqual(["HYP2003"]);
  });

  it("accepts env references or strings for env-or-string keys", () => {
    expect(codesOf('messaging { aws_messaging: { region: "eu-west-1", sqs_endpoint: env.SQS_URL, sns_endpoint: "http://127.0.0.1:3000" } }')).toEqual([]);
  });
});

describe("allowed values and ranges", () => {
  it("lists the allowed values and suggests the closest", () => {
    const [d] = check('event_producers { P: { broker: "kafak", events: { "a.b": { topic: "t" } } } }');
    expect(d).toMatchObject({ code: "HYP2004", suggestions: ["kafka"] });
    expect(d!.message).toContain("`kafka`, `rabbitmq`, `activemq` or `aws_messaging`");
  });

  it("suggests the value in the right case first", () => {
    const [d] = check('messaging { kafka: { bootstrap_servers: ["h:1"], producer: { compression_type: "SNAPPY" } } }');
    expect(d!.suggestions?.[0]).toBe("snappy");
  });

  it.each([
    ["messaging { rabbitmq: { port: 0 } }", "between 1 and 65535"],
    ["messaging { rabbitmq: { port: 70000 } }", "between 1 and 65535"],
    ["message_monitoring { alerting: { error_rate: { threshold: 1.5 } } }", "between 0 and 1"],
    ["message_monitoring { alerting: { processing_latency: { percentile: 0 } } }", "between 1 and 100"],
    ['event_consumers { C: { broker: "kafka", group_id: "g", topics: [{ name: "t" }], handlers: { "*": { handler: "H", concurrency: 0 } } } }', "between 1 and 10000"],
    ['messaging { kafka: { bootstrap_servers: ["h:1"], producer: { retries: -1 } } }', "at least 0"],
  ])("reports out-of-range numbers: %s", (text, bounds) => {
    const diagnostics = check(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP2005"]);
    expect(diagnostics[0]!.message).toContain(bounds);
  });

  it("reports the unit in range messages", () => {
    const [d] = check('messaging { aws_messaging: { region: "r", sqs: { wait_time_seconds: 30 } } }');
    expect(d!.message).toContain("30 s");
  });
});

describe("duplicates", () => {
  it("reports a duplicate key with the first one as secondary label", () => {
    const [d] = check("messaging {\n  rabbitmq: { port: 1, port: 2 }\n}");
    expect(d).toMatchObject({ code: "HYP2006" });
    expect(d!.span).toMatchObject({ line: 2, column: 24 });
    expect(d!.secondary?.[0]).toMatchObject({ message: "first given here", span: { line: 2, column: 15 } });
  });

  it("merges blocks of the same name across files and reports keys given in both", () => {
    const diagnostics = check(
      { path: "a.hyp", text: 'messaging { rabbitmq: { host: "127.0.0.1" } }' },
      { path: "b.hyp", text: 'messaging { kafka: { bootstrap_servers: ["h:1"] } }\nmessaging { rabbitmq: { } }' },
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "HYP2006", span: { file: "b.hyp", line: 2 } });
    expect(diagnostics[0]!.secondary?.[0]?.span.file).toBe("a.hyp");
  });

  it("reports duplicate event types in a producer map and duplicate payload fields", () => {
    expect(codesOf('events { G: { E: { event_type: "e", payload: { a: "uuid", a: "string" } } } }')).toEqual(["HYP2006"]);
  });
});

describe("required keys, secrets, field types, forms", () => {
  it("reports missing required keys at the key that holds the object", () => {
    const diagnostics = check('event_consumers {\n  C: { broker: "kafka", handlers: { "*": { handler: "H" } } }\n}');
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP2007", "HYP2007"]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("`group_id`"),
      expect.stringContaining("`topics`"),
    ]);
    expect(diagnostics[0]!.span).toMatchObject({ line: 2, column: 3 });
  });

  it("reports secrets written as literals with the env fix", () => {
    const [d] = check('messaging { kafka: { bootstrap_servers: ["h:1"], producer: { security: { sasl_password: "hunter2" } } } }');
    expect(d).toMatchObject({ code: "HYP2008" });
    expect(d!.help).toContain("sasl_password: env.KAFKA_PASSWORD");
  });

  it("reports invalid field types with suggestions, also in nested objects and schemas", () => {
    const diagnostics = check(
      'events { G: { E: { event_type: "e", payload: { id: "uuidd", address: { zip: "strng?" }, tags: "array<uuid>" } } } }\n' +
        'request_reply { R: { request_topic: "a", reply_topic: "b", request_schema: { x: "enum<a|a>" }, reply_schema: { y: 3 } } }',
    );
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP2009", "HYP2009", "HYP2009", "HYP2003"]);
    expect(diagnostics[0]!.suggestions).toEqual(["uuid"]);
    expect(diagnostics[1]!.suggestions?.[0]).toBe("string?");
    expect(diagnostics[1]!.message).toContain("events.G.E.payload.address.zip");
  });

  it("reports malformed strings", () => {
    const [d] = check('messaging { kafka: { bootstrap_servers: ["kafka-1.example.com"] } }');
    expect(d).toMatchObject({ code: "HYP2010" });
    expect(d!.message).toContain("messaging.kafka.bootstrap_servers[0]");
  });

  it("reports empty required lists and maps", () => {
    expect(codesOf("messaging { kafka: { bootstrap_servers: [] } }")).toEqual(["HYP2011"]);
    expect(codesOf('event_producers { P: { broker: "kafka", events: { } } }')).toEqual(["HYP2011"]);
  });

  it("keeps checking siblings after a problem", () => {
    expect(codesOf('messaging { rabbitmq: { port: "x", host: 3, username: "u", colour: true } }')).toEqual([
      "HYP2003",
      "HYP2003",
      "HYP2008",
      "HYP2002",
    ]);
  });
});

describe("fix examples", () => {
  it("writes list items without a key and quoted map keys whole", async () => {
    const { writtenAt } = await import("../../../src/diagnostics/constructors/structure.js");
    expect(writtenAt("messaging.kafka.bootstrap_servers[1]", '"h:1"')).toBe('"h:1"');
    expect(writtenAt('event_consumers.C.handlers."script.created"', "{ … }")).toBe('"script.created": { … }');
    expect(writtenAt("messaging.rabbitmq.port", "5672")).toBe("port: 5672");
  });

  it("suggests a list item's fix without a key", () => {
    const [d] = check('messaging { kafka: { bootstrap_servers: ["127.0.0.1:9092", 9092] } }');
    expect(d).toMatchObject({ code: "HYP2003", help: 'Write it like this: `"9092"`.' });
  });
});

describe("repeated list items", () => {
  it("warns about a repeated partition with the first one as secondary label", () => {
    const diagnostics = check(
      'event_consumers { C: { broker: "kafka", group_id: "g", topics: [{ name: "t", partitions: [0, 1, 1] }], handlers: { "*": { handler: "H" } } } }',
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "HYP2012", severity: "warning" });
    expect(diagnostics[0]!.message).toBe("`1` appears twice in `event_consumers.C.topics[0].partitions`.");
    expect(diagnostics[0]!.secondary?.[0]?.message).toBe("first listed here");
  });

  it("does not check lists whose items may repeat", () => {
    expect(codesOf('pub_sub { P: { topic: "t", publisher: { name: "p" }, subscribers: [] } }')).toEqual([]);
  });
});

describe("keys at the wrong level", () => {
  const consumer = (extra: string) =>
    `event_consumers { C: { broker: "kafka", group_id: "g", ${extra}, topics: [{ name: "t" }], handlers: { "*": { handler: "H" } } } }`;

  it("says where a misplaced key belongs", () => {
    const [d] = check(consumer("batch_timeout: 10"));
    expect(d).toMatchObject({ code: "HYP2002" });
    expect(d!.help).toBe("`batch_timeout` is a key of `event_consumers.<Consumer>.handlers.<event_type|*>`; move it there, or remove it.");
  });

  it("names every place a key exists when there are several", () => {
    const [d] = check(consumer("batch_size: 10"));
    expect(d!.help).toBe(
      "`batch_size` is a key of `messaging.kafka.producer` or `event_consumers.<Consumer>.handlers.<event_type|*>`; move it to the right one, or remove it.",
    );
  });
});
