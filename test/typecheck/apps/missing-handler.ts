// Forgets AlertingHandler: must fail with TS2741 (property missing).
import type { ConsumerHandlers, SubscriberHandlers } from "../../../fixtures/golden/seed/index.js";

const noop = async (): Promise<void> => {};
export const consumers: ConsumerHandlers = {
  ScriptCreatedHandler: noop,
  ScriptUpdatedHandler: noop,
  ScriptExecutedHandler: noop,
  AnalyticsEventHandler: noop,
};
export const subscribers: SubscriberHandlers = {
  AuditLogHandler: noop,
  CacheInvalidationHandler: noop,
  NotificationHandler: noop,
  AnalyticsHandler: noop,
  MonitoringHandler: noop,
  LogAggregationHandler: noop,
};
