export { TokenAuthenticator, type AccessDecision, type Role, type UiAccessConfig } from "./auth.js";
export { deadLetterId, inboxHandler, InboxFullError, MemoryDeadLetterInbox, type DeadLetterInbox, type InboxEntry } from "./inbox.js";
export { replayedAtHeader, ReplayError, replayToOriginalTopic, type ReplayFn } from "./replay.js";
export { startDlqServer, type DlqServerOptions, type DlqUiConfig } from "./server.js";
