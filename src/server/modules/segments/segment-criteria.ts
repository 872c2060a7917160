import { type CriteriaGroup, type CriteriaNode, isGroup } from '../../../shared/criteria/index.js';

function* rules(node: CriteriaNode): Generator<{ field: string; op: string; value?: unknown }> {
  if (isGroup(node)) for (const child of node.rules) yield* rules(child);
  else yield node;
}

/** The fields a criteria tree reads. */
export function fieldsOf(tree: CriteriaGroup): Set<string> {
  return new Set([...rules(tree)].map((r) => r.field));
}

const relativeOps = new Set(['older_than_days', 'within_last_days']);
const windowFields = new Set(['orders_count_in_days', 'spend_in_days']);

/**
 * True when the tree compares with today ("ordered in the last 30 days"): such a segment's
 * membership changes with time alone, so the scheduled refresh re-evaluates it.
 */
export function isTimeRelative(tree: CriteriaGroup): boolean {
  for (const r of rules(tree)) {
    if (relativeOps.has(r.op) || windowFields.has(r.field)) return true;
    const v = r.value as { within_days?: unknown } | null | undefined;
    if (r.field === 'orders' && v && typeof v === 'object' && v.within_days !== undefined) return true;
  }
  return false;
}

/** Ids of the segments a tree refers to (`segments in (...)`). */
export function segmentsReferenced(tree: CriteriaGroup): Set<string> {
  const ids = new Set<string>();
  for (const r of rules(tree)) {
    if (r.field === 'segments' && Array.isArray(r.value)) for (const id of r.value) ids.add(String(id));
  }
  return ids;
}

/**
 * Groups segments into levels: level 0 refers to no other segment in the set, level n only to
 * segments of lower levels (a cycle is cut where it is met). Each level can be evaluated in one
 * statement once the levels before it are done.
 */
export function dependencyLevels<T extends { id: string; criteria: CriteriaGroup }>(segments: T[]): T[][] {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (s: T): number => {
    const known = level.get(s.id);
    if (known !== undefined) return known;
    if (visiting.has(s.id)) return 0;
    visiting.add(s.id);
    let d = 0;
    for (const ref of segmentsReferenced(s.criteria)) {
      const dep = byId.get(ref);
      if (dep && dep.id !== s.id) d = Math.max(d, depth(dep) + 1);
    }
    visiting.delete(s.id);
    level.set(s.id, d);
    return d;
  };
  const levels: T[][] = [];
  for (const s of segments) {
    const d = depth(s);
    levels[d] = [...(levels[d] ?? []), s];
  }
  return levels.filter((l) => l.length > 0);
}
