/** What the data-flow rules share: grouping arrivals by sink, messages that show the path, results with a flow. */
import { type Arrival, describeSteps, type SinkClass } from '../../src/analyse/code/flow/model.ts';
import type { Severity } from '../../src/findings/finding.ts';
import type { CodeRuleResult } from './rule.ts';

/** Arrivals of one sink class, one group per sink call, in a stable order. */
export function arrivalsBySink(arrivals: readonly Arrival[], sinkClass: SinkClass): Arrival[][] {
  const groups = new Map<string, Arrival[]>();
  for (const arrival of arrivals) {
    if (arrival.sink.class !== sinkClass || arrival.cleared.includes(sinkClass)) continue;
    const { file, line, column } = arrival.sink.range;
    const key = `${file}:${line}:${column}:${arrival.sink.name}`;
    const group = groups.get(key) ?? [];
    group.push(arrival);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** `req.body.name (src/routes/users.ts:12) → db.query (src/db/users.ts:40)`. */
export function pathOf(arrival: Arrival): string {
  return describeSteps(arrival.steps);
}

/** `req.body.name` and, for several sources, `req.body.name (and 2 more)`. */
export function sourcesOf(group: readonly Arrival[]): string {
  const labels = [...new Set(group.map((arrival) => arrival.source.label))];
  return labels.length > 1 ? `${labels[0]} (and ${labels.length - 1} more)` : labels[0]!;
}

/** Why validation on the way did not help this sink, when there was some. */
export function validationNote(arrival: Arrival): string {
  if (!arrival.evidence) return '';
  return ` It is validated by ${arrival.evidence}, which does not restrict it to a safe format (integer, UUID, enum, anchored pattern).`;
}

export function flowResult(group: readonly Arrival[], message: string, severity?: Severity): CodeRuleResult {
  const first = group[0]!;
  return {
    location: first.sink.range,
    message,
    anchor: `${first.sink.name} ${first.source.label}`,
    flow: first.steps,
    ...(severity ? { severity } : {}),
  };
}

/** One result per sink call of the class, worded by `message` from the group's first arrival and its sources. */
export function sinkResults(
  arrivals: readonly Arrival[],
  sinkClass: SinkClass,
  message: (first: Arrival, sources: string) => string,
): CodeRuleResult[] {
  return arrivalsBySink(arrivals, sinkClass).map((group) =>
    flowResult(group, message(group[0]!, sourcesOf(group))),
  );
}
