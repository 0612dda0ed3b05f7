// createRuntime(): the one place where messaging behaviour lives. Generated code passes the Topology, the ajv
// standalone validators and the app's handlers; the runtime wires transports, publish targets, consumer
// subscriptions with their middleware pipelines, request-reply, pub/sub, the work queue and the DLQ handlers.
import { setMaxListeners } from "node:events";
import type {
  HandlerRegistry,
  IdempotencyStore,
  Logger,
  MessagingRuntime,
  PublishOptions,
  PublishResult,
  RequestOptions,
  RuntimeOptions,
  TransportMode,
} from "../api.js";
import { ConfigError, HypcError } from "../errors.js";
import { MemoryIdempotencyStore } from "../idempotency/memory-store.js";
import { RedisIdempotencyStore } from "../idempotency/redis-store.js";
import type { CategoryPolicies } from "../middleware/dead-letter.js";
import type { BrokerKind, ErrorCategory, ResolvedConsumer, ResolvedPubSub, Topology } from "../topology.js";
import type { MessageHandler, Subscription, TopicSpec, Transport } from "../transport.js";
import type { PublishFrom } from "./attempt.js";
import { DEFAULT_RETRY } from "./backoff.js";
import { Batcher } from "./batcher.js";
import { createSubscriptionHandler, type SlotSpec, type SubscriptionPipelineOptions } from "./consumer.js";
import { gateNeeded, partitionGate } from "./partition-gate.js";
import { subscribeDeadLetters } from "./dead-letter-consumer.js";
import { resolveValue } from "./env.js";
import { Headers } from "./headers.js";
import { InstrumentationHub } from "./instrumentation.js";
import { createConsoleLogger } from "./logger.js";
import { MetricsObserver, MetricsRegistry } from "./metrics.js";
import type { PipelineServices } from "./pipeline.js";
import { Publisher, type PublishParent, type PublishTarget } from "./publisher.js";
import { tracePropagation, type TracePropagation } from "./tracing.js";
import { RequestClient, serveRequests } from "./request-reply.js";
import { createTransports, selectMode, uniqueTransports } from "./transports.js";
import { registerSchemas, schemaPlans, schemaRegistryWanted } from "../schema-registry/register.js";
import { dlqGroupHandler, startDlqUiForRuntime } from "../dlq-ui/for-runtime.js";
import { MemoryDeadLetterInbox } from "../dlq-ui/inbox.js";
import { createRuntimeMonitoring, useRuntimeTransports } from "../monitoring/for-runtime.js";
import type { RunningServer } from "../monitoring/metrics-server.js";
import type { Monitoring } from "../monitoring/monitoring.js";

type State = "new" | "starting" | "started" | "stopping" | "stopped";

export class Runtime implements MessagingRuntime {
  readonly metrics = new MetricsRegistry();
  readonly logger: Logger;
  private readonly topology: Topology;
  private readonly handlers: HandlerRegistry;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly hub: InstrumentationHub;
  private readonly publisher: Publisher;
  /** Which trace headers go out (message_monitoring.tracing.trace_propagation). */
  private readonly propagation: TracePropagation;
  private readonly services: PipelineServices;
  private readonly stopping = new AbortController();
  /** Aborted as stop() begins: in-place retries of ordered partitions go back to the broker instead of waiting. */
  private readonly draining = new AbortController();
  private state: State = "new";
  private transports = new Map<BrokerKind, Transport>();
  private readonly targets = new Map<string, PublishTarget>();
  private readonly subscriptions: Subscription[] = [];
  private readonly batchers: Batcher[] = [];
  private readonly clients = new Map<string, RequestClient>();
  /** Schema registry ids by physical topic (producers with serialization.schema_registry), set at start(). */
  private schemaIds = new Map<string, number>();
  private idempotencyStore: IdempotencyStore | undefined;
  /** message_monitoring: alerting and the metric switches (undefined without a monitoring block). */
  readonly monitoring: Monitoring | undefined;
  /** Dead letters of DLQ groups with an enabled ui, waiting for replay/discard over HTTP. */
  readonly dlqInbox = new MemoryDeadLetterInbox();
  private dlqUi: RunningServer | undefined;

  constructor(private readonly options: RuntimeOptions) {
    this.topology = options.topology;
    this.handlers = options.handlers;
    this.env = options.env ?? process.env;
    this.logger = options.logger ?? createConsoleLogger(this.env.HYPC_LOG_LEVEL);
    this.monitoring = createRuntimeMonitoring(this.topology, this.logger);
    this.hub = new InstrumentationHub(
      [new MetricsObserver(this.metrics, this.topology.monitoring?.metrics), ...(this.monitoring === undefined ? [] : [this.monitoring.evaluator]), ...(options.instrumentation ?? [])],
      this.logger,
    );
    this.monitoring?.attach((e) => this.hub.onEvent(e));
    this.propagation = tracePropagation(this.topology.monitoring?.tracing);
    this.publisher = new Publisher(this.topology.events, options.validators, this.propagation, this.hub);
    this.services = { logger: this.logger, instrumentation: this.hub };
    // Every in-flight request / handler signal listens to this one: no listener limit.
    setMaxListeners(0, this.stopping.signal);
  }

  /** The transport of a broker kind (after start); tests and tools use it to inspect the embedded broker. */
  transportFor(kind: BrokerKind): Transport | undefined {
    return this.transports.get(kind);
  }

  async start(): Promise<void> {
    if (this.state !== "new") throw new HypcError(`runtime cannot start: it is ${this.state}`);
    this.state = "starting";
    try {
      this.warnMissingValidators();
      const mode = selectMode(this.options.transport, this.env);
      this.transports = await createTransports(this.topology, mode, this.env, this.logger);
      for (const t of uniqueTransports(this.transports)) await t.connect();
      await this.ensureTopics();
      await this.registerSchemas(mode);
      if (this.monitoring !== undefined) {
        await useRuntimeTransports(this.monitoring, this.topology, this.transports, this.env, this.logger);
        this.monitoring.start();
      }
      this.buildProducerTargets();
      this.idempotencyStore = await this.createIdempotencyStore();
      await this.startConsumers();
      await this.startPubSubSubscribers();
      await this.startRequestServers();
      await this.startWorkQueue();
      await this.startDeadLetterHandlers();
      this.state = "started";
      this.logger.info("messaging runtime started", { transports: uniqueTransports(this.transports).map((t) => t.name), subscriptions: this.subscriptions.length });
    } catch (error) {
      this.state = "started"; // let stop() release whatever was set up
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "stopping" || this.state === "new") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    this.draining.abort(new HypcError("the messaging runtime is stopping"));
    // Stop fetching and drain: subscriptions wait for in-flight handlers; batches waiting for more messages are
    // flushed right away so nobody waits for a batch timeout.
    const closing = Promise.allSettled(this.subscriptions.splice(0).map((s) => s.close()));
    let closed = false;
    void closing.then(() => (closed = true));
    while (!closed) {
      for (const b of this.batchers) b.flush();
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 10))]);
    }
    await Promise.all(this.batchers.map((b) => b.drain()));
    this.stopping.abort(new HypcError("the messaging runtime is stopping"));
    await Promise.allSettled([...this.clients.values()].map((c) => c.close()));
    await this.idempotencyStore?.close().catch(() => undefined);
    await this.dlqUi?.close();
    await this.monitoring?.stop();
    for (const t of uniqueTransports(this.transports)) await t.close().catch((error: unknown) => this.logger.warn(`closing transport ${t.name} failed`, { error: String(error) }));
    this.state = "stopped";
  }

  publish(producer: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult> {
    return this.publishFrom(undefined, producer, eventType, payload, options);
  }

  async publishToChannel(channel: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult> {
    this.assertStarted(`publish to channel ${channel}`);
    const c = this.topology.pubSub.find((p) => p.name === channel);
    if (c === undefined) throw new ConfigError(`unknown pub/sub channel "${channel}" (known: ${this.topology.pubSub.map((p) => p.name).join(", ") || "none"})`);
    if (c.eventTypes.length > 0 && !c.eventTypes.includes(eventType)) {
      throw new ConfigError(`channel ${channel} does not carry event type ${eventType} (it carries ${c.eventTypes.join(", ")})`);
    }
    const target: PublishTarget = {
      transport: this.transport(c.broker),
      topic: c.topic,
      ...this.channelKey(c),
      compression: c.publisher.message_format.compression,
      headers: { [Headers.schemaVersion]: c.publisher.message_format.schema_version },
      retry: DEFAULT_RETRY,
      schemaValidation: true,
      requiredFields: [],
      payloadSizeLimit: 0,
      sender: `channel ${channel}`,
    };
    return this.publisher.send(target, eventType, payload, options, undefined);
  }

  async request(exchange: string, request: unknown, options?: RequestOptions): Promise<unknown> {
    this.assertStarted(`request ${exchange}`);
    let client = this.clients.get(exchange);
    if (client === undefined) {
      const x = this.topology.requestReply.find((r) => r.name === exchange);
      if (x === undefined) throw new ConfigError(`unknown request-reply exchange "${exchange}" (known: ${this.topology.requestReply.map((r) => r.name).join(", ") || "none"})`);
      client = new RequestClient(x, this.transport(x.broker), this.options.validators, this.hub, `${exchange}-client`, this.propagation);
      this.clients.set(exchange, client);
    }
    return client.request(request, options);
  }

  async enqueueWork(eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult> {
    this.assertStarted("enqueue work");
    const dl = this.topology.deadLetter;
    if (dl === undefined) throw new ConfigError("enqueueWork needs a dead_letter_queue block with a main_queue");
    if (dl.mainQueue.eventTypes.length > 0 && !dl.mainQueue.eventTypes.includes(eventType)) {
      throw new ConfigError(`work queue ${dl.mainQueue.name} does not carry event type ${eventType} (it carries ${dl.mainQueue.eventTypes.join(", ")})`);
    }
    const target: PublishTarget = {
      transport: this.transport(dl.broker),
      topic: dl.mainQueue.name,
      retry: DEFAULT_RETRY,
      schemaValidation: true,
      requiredFields: [],
      payloadSizeLimit: 0,
      sender: `work queue ${dl.mainQueue.name}`,
    };
    return this.publisher.send(target, eventType, payload, options, undefined);
  }

  /** URL of the DLQ manual-processing endpoint while it runs. */
  dlqUiUrl(): string | undefined {
    return this.dlqUi?.url;
  }

  metricsText(): string {
    return this.monitoring?.metricsText(this.metrics.text()) ?? this.metrics.text();
  }

  // Not async: a plain function returning the publisher's promise (one promise less per publish on the hot path).
  private readonly publishFrom = (parent: PublishParent | undefined, producer: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult> => {
    try {
      this.assertStarted(`publish ${eventType}`);
      const target = this.targets.get(`${producer}\u0000${eventType}`);
      if (target === undefined) {
        const p = this.topology.producers.find((x) => x.name === producer);
        if (p === undefined) throw new ConfigError(`unknown producer "${producer}" (known: ${this.topology.producers.map((x) => x.name).join(", ") || "none"})`);
        throw new ConfigError(`producer ${producer} has no route for event type ${eventType} (it sends ${p.routes.map((r) => r.eventType).join(", ")})`);
      }
      return this.publisher.send(target, eventType, payload, options, parent);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  /**
   * partition_strategy "hash": the key is the partition_key field (or, under message_ordering, the first of its
   * partition_key.fields the payload has); "round_robin": no key at all, so the broker spreads the messages
   * evenly over the partitions (the embedded broker and Kafka's default partitioner rotate keyless messages).
   */
  private channelKey(c: ResolvedPubSub): Pick<PublishTarget, "partitionKey" | "keyFields"> {
    if (c.publisher.partition_strategy === "round_robin") return {};
    if (c.publisher.partition_key !== undefined) return { partitionKey: c.publisher.partition_key };
    const ordering = this.topology.guarantees.message_ordering;
    return ordering.enabled && ordering.partition_key.fields.length > 0 ? { keyFields: ordering.partition_key.fields } : {};
  }

  private assertStarted(what: string): void {
    if (this.state !== "started" && this.state !== "starting") throw new HypcError(`cannot ${what}: the runtime is ${this.state} (call start() first)`);
  }

  private transport(kind: BrokerKind): Transport {
    const t = this.transports.get(kind);
    if (t === undefined) throw new ConfigError(`no transport for broker ${kind}`);
    return t;
  }

  private warnMissingValidators(): void {
    const missing = this.topology.events.map((e) => `event:${e.eventType}`).filter((id) => this.options.validators[id] === undefined);
    if (missing.length > 0) this.logger.warn("no validator for some schemas: their messages are not schema-checked", { missing });
  }

  private buildProducerTargets(): void {
    for (const p of this.topology.producers) {
      for (const route of p.routes) {
        this.targets.set(`${p.name}\u0000${route.eventType}`, {
          transport: this.transport(p.broker),
          topic: route.topic,
          ...(route.partitionKey === undefined ? {} : { partitionKey: route.partitionKey }),
          retry: route.retry,
          compression: p.serialization.compression,
          ...(this.schemaIds.has(route.topic) ? { headers: { [Headers.schemaId]: String(this.schemaIds.get(route.topic)) } } : {}),
          schemaValidation: p.validation.schema_validation,
          requiredFields: p.validation.required_fields,
          payloadSizeLimit: p.validation.payload_size_limit,
          sender: `producer ${p.name}`,
        });
      }
    }
  }

  /** serialization.schema_registry (see schema-registry/register.ts): configured transports, or HYPC_SCHEMA_REGISTRY=always. */
  private async registerSchemas(mode: TransportMode | Transport): Promise<void> {
    const plans = schemaPlans(this.topology, this.env);
    if (plans.length === 0) return;
    const kind = typeof mode === "object" ? (mode.name === "embedded" ? "embedded" : "configured") : mode;
    if (!schemaRegistryWanted(kind, this.env)) {
      this.logger.debug("schema registry skipped (embedded transport; HYPC_SCHEMA_REGISTRY=always to use it anyway)", { subjects: plans.map((p) => p.subject) });
      return;
    }
    this.schemaIds = await registerSchemas(plans, this.env, this.logger);
  }

  private async ensureTopics(): Promise<void> {
    const perTransport = new Map<Transport, Map<string, TopicSpec>>();
    const add = (kind: BrokerKind, name: string, partitions: number, retentionSeconds?: number): void => {
      const transport = this.transport(kind);
      let specs = perTransport.get(transport);
      if (specs === undefined) perTransport.set(transport, (specs = new Map()));
      const existing = specs.get(name);
      const p = Math.max(partitions, existing?.partitions ?? 1);
      const r = retentionSeconds ?? existing?.retentionSeconds;
      specs.set(name, { name, partitions: p, ...(r === undefined ? {} : { retentionSeconds: r }) });
    };
    const topo = this.topology;
    for (const t of topo.topics) add(t.broker, t.name, t.partitions);
    for (const r of topo.requestReply) {
      add(r.broker, r.requestTopic, 1);
      add(r.broker, r.replyTopic, 1);
    }
    for (const c of topo.pubSub) add(c.broker, c.topic, 1);
    const dl = topo.deadLetter;
    if (dl !== undefined) {
      add(dl.broker, dl.mainQueue.name, 1);
      add(dl.broker, dl.mainQueue.dlq_name, 1, dl.dlqQueue.message_retention);
      add(dl.broker, dl.dlqQueue.name, 1, dl.dlqQueue.message_retention);
    } else {
      for (const c of topo.consumers) for (const t of c.topics) add(c.broker, `${t.name}.dlq`, 1);
    }
    for (const [transport, specs] of perTransport) await transport.ensureTopics([...specs.values()]);
  }

  private async createIdempotencyStore(): Promise<IdempotencyStore | undefined> {
    const eo = this.topology.guarantees.exactly_once;
    if (!eo.enabled || !eo.idempotence.enabled) return undefined;
    if (this.options.idempotencyStore !== undefined) return this.options.idempotencyStore;
    if (eo.idempotence.storage === "memory") return new MemoryIdempotencyStore();
    const url =
      eo.idempotence.redis_url !== undefined
        ? resolveValue(eo.idempotence.redis_url, "message_guarantees.exactly_once.idempotence.redis_url", this.env)
        : (this.env.HYPC_REDIS_URL ?? "redis://127.0.0.1:6379");
    const store = new RedisIdempotencyStore({ url });
    await store.connect();
    return store;
  }

  private categoryPolicies(): CategoryPolicies {
    const merged: Partial<Record<ErrorCategory, CategoryPolicies[ErrorCategory]>> = {};
    for (const h of this.topology.deadLetter?.handlers ?? []) {
      for (const [category, policy] of Object.entries(h.error_categories) as [ErrorCategory, CategoryPolicies[ErrorCategory]][]) {
        merged[category] ??= policy;
      }
    }
    return merged;
  }

  private pipelineOptions(slots: readonly SlotSpec[], sourceKind: BrokerKind, dlqTopic?: string): SubscriptionPipelineOptions {
    const dl = this.topology.deadLetter;
    const categories = this.categoryPolicies();
    const timeoutPolicy = categories.timeout_error;
    const eo = this.topology.guarantees.exactly_once;
    const dlqTransport = this.transport(dl?.broker ?? sourceKind);
    return {
      slots,
      services: this.services,
      validators: this.options.validators,
      deadLetter: {
        dlqTopic: (attempt) => dlqTopic ?? dl?.dlqQueue.name ?? `${attempt.message.topic}.dlq`,
        publish: (messages) => dlqTransport.publish(messages),
        categories,
      },
      ...(timeoutPolicy?.action === "retry_with_backoff" && timeoutPolicy.max_retries !== undefined ? { timeoutMaxRetries: timeoutPolicy.max_retries } : {}),
      ...(this.idempotencyStore === undefined ? {} : { idempotency: { store: this.idempotencyStore, keyStrategy: eo.idempotence.key_strategy, ttlSeconds: eo.idempotence.ttl } }),
      publishFrom: this.publishFrom,
      stopping: this.stopping.signal,
    };
  }

  /**
   * Per-key order by the transport when ordering is enabled, except with single_partition_consumers: then the
   * partition gate keeps whole partitions in offset order, and a transport holding back a busy key would let a
   * later offset of another key overtake it in the gate.
   */
  private orderedByKey(batched = false): boolean {
    const o = this.topology.guarantees.message_ordering;
    return o.enabled && (batched || !o.consumer_groups.single_partition_consumers);
  }

  /**
   * message_ordering.consumer_groups in front of an ordered subscription's handler (see partition-gate.ts).
   * Not for batch handlers: one message at a time would never fill a batch (each would wait out batch_timeout);
   * a batch keeps arrival order inside its array and the transport keeps per-key order.
   */
  private ordered(handler: MessageHandler, transport: Transport, name: string, batched = false, partitionCount?: number): MessageHandler {
    const o = this.topology.guarantees.message_ordering;
    const gate = { singlePartition: o.consumer_groups.single_partition_consumers, maxConcurrentPartitions: o.consumer_groups.max_concurrent_partitions };
    // A limit at or above the partitions the subscription reads limits nothing: no gate (and no cost per message).
    const limits = gate.singlePartition || partitionCount === undefined || gate.maxConcurrentPartitions < partitionCount;
    if (!o.enabled || batched || !gateNeeded(gate) || !limits) return handler;
    // The Kafka adapter keeps a handler's output for the delivery's transaction (exactly_once.transactional) and
    // discards a failed attempt's output only when the nack reaches it: there retries cannot stay in place.
    const eo = this.topology.guarantees.exactly_once;
    const keepsTransactionalOutput = eo.enabled && eo.transactional.enabled && transport.name === "kafka";
    return partitionGate(handler, { ...gate, retryInPlace: !keepsTransactionalOutput, stopping: this.draining.signal, logger: this.logger, name });
  }

  private consumersToStart(): ResolvedConsumer[] {
    const wanted = this.options.start?.consumers;
    const events = this.handlers.events ?? {};
    return this.topology.consumers.filter((c) => (wanted !== undefined ? wanted.includes(c.name) : c.handlers.some((h) => events[h.handler] !== undefined)));
  }

  private async startConsumers(): Promise<void> {
    const events = this.handlers.events ?? {};
    for (const consumer of this.consumersToStart()) {
      const slots: SlotSpec[] = consumer.handlers.map((slot) => {
        const fn = events[slot.handler];
        if (fn === undefined) {
          throw new ConfigError(`consumer ${consumer.name}: no handler registered for ${slot.handler} (event types ${slot.eventTypes.join(", ") || slot.key}); register it in handlers.events`);
        }
        let invoke: SlotSpec["invoke"];
        if (slot.batch !== undefined) {
          const batcher = new Batcher(fn as never, slot.batch.size, slot.batch.timeout);
          this.batchers.push(batcher);
          invoke = (a) => batcher.add(a.envelope, a.context);
        } else {
          const handler = fn as (e: unknown, c: unknown) => Promise<void>;
          invoke = (a) => handler(a.envelope, a.context);
        }
        return {
          handler: slot.handler,
          eventTypes: slot.key === "*" ? "*" : slot.eventTypes,
          concurrency: slot.batch !== undefined ? Math.max(slot.concurrency, slot.batch.size) : slot.concurrency,
          timeout: slot.timeout,
          retry: slot.retry,
          invoke,
        };
      });
      const batched = consumer.handlers.some((h) => h.batch !== undefined);
      // Partitions read: those listed, else every partition of the topic (unknown for a topic no producer declares).
      const partitionCount = consumer.topics.reduce<number | undefined>((sum, t) => {
        const count = t.partitions.length > 0 ? t.partitions.length : this.topology.topics.find((x) => x.name === t.name)?.partitions;
        return sum === undefined || count === undefined ? undefined : sum + count;
      }, 0);
      const handler = this.ordered(createSubscriptionHandler(this.pipelineOptions(slots, consumer.broker), consumer.name), this.transport(consumer.broker), consumer.name, batched, partitionCount);
      const subscription = await this.transport(consumer.broker).subscribe(
        {
          group: consumer.groupId,
          topics: consumer.topics.map((t) => t.name),
          concurrency: slots.reduce((sum, s) => sum + s.concurrency, 0),
          startFrom: consumer.topics[0]?.auto_offset_reset ?? "earliest",
          orderedByKey: this.orderedByKey(batched),
        },
        handler,
      );
      this.subscriptions.push(subscription);
    }
  }

  private async startPubSubSubscribers(): Promise<void> {
    const events = this.handlers.events ?? {};
    const wanted = this.options.start?.consumers;
    for (const channel of this.topology.pubSub) {
      for (const sub of channel.subscribers) {
        const fn = events[sub.handler] as ((e: unknown, c: unknown) => Promise<void>) | undefined;
        if (fn === undefined || (wanted !== undefined && !wanted.includes(sub.name) && !wanted.includes(sub.group_id))) continue;
        const slot: SlotSpec = {
          handler: sub.handler,
          eventTypes: "*",
          concurrency: sub.concurrency,
          timeout: 30_000,
          retry: DEFAULT_RETRY,
          invoke: (a) => fn(a.envelope, a.context),
        };
        const name = `${channel.name}/${sub.name}`;
        const pipeline = { ...this.pipelineOptions([slot], channel.broker), schemaVersion: { expected: channel.publisher.message_format.schema_version, channel: channel.name } };
        const handler = this.ordered(createSubscriptionHandler(pipeline, name), this.transport(channel.broker), name);
        this.subscriptions.push(
          await this.transport(channel.broker).subscribe(
            { group: sub.group_id, topics: [channel.topic], concurrency: sub.concurrency, orderedByKey: this.orderedByKey() },
            handler,
          ),
        );
      }
    }
  }

  private async startRequestServers(): Promise<void> {
    for (const x of this.topology.requestReply) {
      const handler = this.handlers.requests?.[x.name];
      if (handler === undefined) continue;
      this.subscriptions.push(
        await serveRequests(x, this.transport(x.broker), handler, {
          validators: this.options.validators,
          logger: this.logger,
          source: `${x.name}-server`,
          stopping: this.stopping.signal,
          publishFrom: this.publishFrom,
          propagation: this.propagation,
        }),
      );
    }
  }

  private async startWorkQueue(): Promise<void> {
    const dl = this.topology.deadLetter;
    const worker = this.handlers.workQueue;
    if (dl === undefined || worker === undefined) return;
    const q = dl.mainQueue;
    const slot: SlotSpec = {
      handler: `${q.name}-worker`,
      eventTypes: "*",
      concurrency: 4,
      timeout: 0,
      retry: { max_retries: q.max_retries, backoff_strategy: "fixed", initial_delay: q.retry_delay, max_delay: q.retry_delay, multiplier: 1, jitter: 0 },
      invoke: (a) => worker(a.envelope, a.context),
    };
    const handler = createSubscriptionHandler(this.pipelineOptions([slot], dl.broker, q.dlq_name), slot.handler);
    this.subscriptions.push(await this.transport(dl.broker).subscribe({ group: `${q.name}-workers`, topics: [q.name], concurrency: slot.concurrency }, handler));
  }

  private async startDeadLetterHandlers(): Promise<void> {
    const dl = this.topology.deadLetter;
    if (dl === undefined) return;
    const topics = [...new Set([dl.dlqQueue.name, dl.mainQueue.dlq_name])];
    for (const h of dl.handlers) {
      const handler = dlqGroupHandler(h, this.handlers.deadLetters?.[h.handler], this.dlqInbox);
      if (handler === undefined) continue;
      this.subscriptions.push(
        await subscribeDeadLetters({
          group: h.group,
          handlerName: h.handler,
          handler,
          topics,
          concurrency: h.concurrency,
          timeoutMs: h.timeout,
          maxRedelivery: dl.dlqQueue.max_redelivery,
          transport: this.transport(dl.broker),
          logger: this.logger,
          instrumentation: this.hub,
          publishFrom: this.publishFrom,
          stopping: this.stopping.signal,
        }),
      );
    }
    this.dlqUi = await startDlqUiForRuntime({ topology: this.topology, inbox: this.dlqInbox, transportFor: (k) => this.transports.get(k), logger: this.logger, env: this.env });
  }
}

export function createRuntime(options: RuntimeOptions): Runtime {
  return new Runtime(options);
}
