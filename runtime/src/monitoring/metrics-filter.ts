// Keeps only the metric families message_monitoring.metrics enables in a Prometheus text exposition. The core
// registry already skips disabled families when it records; this filter is the guarantee at the exposition
// boundary (families registered elsewhere, or recorded before a switch was honoured, never leak).
import type { MonitoringConfig } from "../topology.js";
import { familyEnabled } from "./metric-names.js";

const SAMPLE_SUFFIXES = ["_bucket", "_sum", "_count"] as const;

export function filterMetricsText(text: string, metrics: MonitoringConfig["metrics"] | undefined): string {
  if (metrics === undefined) return text;
  const declared = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (m !== null) declared.add(m[1]!);
  }
  const kept = text.split("\n").filter((line) => {
    if (line === "") return true;
    const comment = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (comment !== null) return familyEnabled(comment[1]!, metrics);
    if (line.startsWith("#")) return true;
    return familyEnabled(familyOf(sampleName(line), declared), metrics);
  });
  return kept.join("\n");
}

function sampleName(line: string): string {
  const end = line.search(/[{\s]/);
  return end < 0 ? line : line.slice(0, end);
}

/** `x_bucket` belongs to family `x` when `x` is declared (a counter may itself end in `_count`). */
function familyOf(sample: string, declared: ReadonlySet<string>): string {
  if (declared.has(sample)) return sample;
  for (const suffix of SAMPLE_SUFFIXES) {
    if (sample.endsWith(suffix)) {
      const family = sample.slice(0, -suffix.length);
      if (declared.has(family)) return family;
    }
  }
  return sample;
}
