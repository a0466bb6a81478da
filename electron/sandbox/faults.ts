// Fault injection: ordered rules, each with an optional endpoint filter, a rate drawn from a
// deterministic PRNG (seeded), and an optional use count.

import type { EndpointName, FaultKind, FaultRule } from './types.ts';

export const FAULT_KINDS: readonly FaultKind[] = ['error', 'garbage', 'drop', 'drop-after-accept', 'delay', 'hang'];
const ENDPOINTS: readonly EndpointName[] = ['update', 'leave', 'vip-recharge'];

/** mulberry32: small, fast, deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultEngine {
  private rules: ActiveRule[] = [];
  private rand: () => number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.rand = mulberry32(seed);
  }

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule: { ...rule }, remaining: rule.count ?? Number.POSITIVE_INFINITY }));
  }

  /** Drops all rules and restarts the PRNG from the seed. */
  reset(): void {
    this.rules = [];
    this.rand = mulberry32(this.seed);
  }

  /** The first rule that matches the endpoint, has uses left and wins its rate draw. */
  pick(endpoint: EndpointName): FaultRule | null {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.endpoint !== undefined && rule.endpoint !== endpoint) continue;
      if (active.remaining <= 0) continue;
      const rate = rule.rate ?? 1;
      if (rate <= 0) continue;
      if (rate < 1 && this.rand() >= rate) continue;
      active.remaining -= 1;
      return rule;
    }
    return null;
  }
}

/** Validates rules that came over HTTP; returns an error text or null. */
export function checkFaultRules(value: unknown): string | null {
  if (!Array.isArray(value)) return '`rules` must be an array';
  for (const [i, r] of value.entries()) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return `rules[${i}] must be an object`;
    const rule = r as Record<string, unknown>;
    if (!FAULT_KINDS.includes(rule.kind as FaultKind))
      return `rules[${i}].kind is not one of ${FAULT_KINDS.join(', ')}`;
    if (rule.endpoint !== undefined && !ENDPOINTS.includes(rule.endpoint as EndpointName)) {
      return `rules[${i}].endpoint is not one of ${ENDPOINTS.join(', ')}`;
    }
    for (const n of ['httpStatus', 'delayMs', 'rate', 'count'] as const) {
      if (rule[n] !== undefined && (typeof rule[n] !== 'number' || !Number.isFinite(rule[n])))
        return `rules[${i}].${n} must be a number`;
    }
    const status = rule.httpStatus;
    if (typeof status === 'number' && (!Number.isInteger(status) || status < 100 || status > 599)) {
      return `rules[${i}].httpStatus must be an HTTP status`;
    }
    for (const s of ['code', 'message'] as const) {
      if (rule[s] !== undefined && typeof rule[s] !== 'string') return `rules[${i}].${s} must be a string`;
    }
  }
  return null;
}
