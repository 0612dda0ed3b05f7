// Event declarations. Fills eventsByType, payloadFields and eventOrder; reports duplicate event
// types (HYP3005), the same event name in two groups (HYP3006) and names that cannot be type names (HYP3007).
import { duplicateEventName, duplicateEventType, invalidTypeName } from "../../diagnostics/constructors/semantic.js";
import type { Context } from "./context.js";
import { isValidIdentifier } from "./identifiers.js";
import type { EventDecl } from "./model.js";

export function checkEvents(ctx: Context): void {
  const byName = new Map<string, EventDecl>();
  const groupsReported = new Set<string>();
  for (const ev of ctx.model.events) {
    if (!groupsReported.has(ev.group)) {
      groupsReported.add(ev.group);
      if (!isValidIdentifier(ev.group)) ctx.diagnostics.push(invalidTypeName(ev.group, ev.groupSpan, "event group"));
    }
    if (!isValidIdentifier(ev.name)) ctx.diagnostics.push(invalidTypeName(ev.name, ev.nameSpan, "event"));

    const sameName = byName.get(ev.name);
    if (!sameName) byName.set(ev.name, ev);
    // Twice in one group object is a duplicate key, which the structural checker reports.
    else if (sameName.groupNode !== ev.groupNode) {
      ctx.diagnostics.push(duplicateEventName(ev.name, ev.nameSpan, sameName.nameSpan, ev.group, sameName.group));
    }

    if (!ev.eventType) continue;
    const type = ev.eventType.value;
    const first = ctx.eventsByType.get(type);
    if (first) {
      ctx.diagnostics.push(duplicateEventType(type, ev.eventType.span, first.eventType?.span ?? first.nameSpan, ev.name, first.name));
      continue;
    }
    ctx.eventsByType.set(type, ev);
    ctx.eventOrder.set(type, ctx.eventOrder.size);
    ctx.payloadFields.set(type, new Set(ev.payload?.members.map((m) => m.key) ?? []));
  }
}

/** Event types named by an `events: [...]` list: event types, event names or group names. */
export function expandEventRefs(ctx: Context, ref: string): string[] | undefined {
  if (ctx.eventsByType.has(ref)) return [ref];
  const named = [...ctx.eventsByType.values()].filter((e) => e.name === ref || e.group === ref);
  return named.length > 0 ? named.map((e) => e.eventType!.value) : undefined;
}
