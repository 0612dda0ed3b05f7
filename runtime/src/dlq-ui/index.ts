export { TokenAuthenticator, type AccessDecision, type Role, type UiAccessConfig } from "./auth.js";
export { deadLetterId, inboxHandler, InboxFullError, MemoryDeadLetterInbox, type DeadLetterInbox, type InboxEntry } from "./inbox.js";
export { brokerOfTopic, replayedAtHeader, ReplayError, replayThroughRuntime, replayToOriginalTopic, type ReplayFn } from "./replay.js";
export { startDlqServer, type DlqServerOptions, type DlqUiConfig } from "./server.js";
export { dlqGroupHandler, startDlqUiForRuntime, type RuntimeDlqUiOptions } from "./for-runtime.js";
