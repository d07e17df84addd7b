/** @description Shopify's risk summary of an order (Admin API `Order.risk`): its recommendation and each assessment's level. */
export interface OrderRisk {
  /** `OrderRiskRecommendationResult`: ACCEPT, INVESTIGATE, CANCEL, NONE; null when Shopify gives none. */
  recommendation: string | null;
  /** `RiskAssessmentResult` of each assessment (Shopify's and apps'): HIGH, MEDIUM, LOW, NONE, PENDING. */
  levels: ReadonlyArray<string | null>;
}

/**
 * @description The hold decision on an order's risk:
 * - `hold` — Shopify rates it HIGH (an assessment) or recommends CANCEL: held until an operator decides;
 * - `pending` — an assessment is still PENDING and none is HIGH: asked again a few times (bounded), then written;
 * - `pass` — written.
 * `riskLevel` is the highest level assessed (for the operators' list and the audit).
 */
export type RiskDecision =
  | { decision: 'hold'; riskLevel: string; recommendation: string | null; reason: string }
  | { decision: 'pending' }
  | { decision: 'pass'; riskLevel: string; recommendation: string | null };

const LEVEL_ORDER = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];

/** Decides whether an order is held for its risk. */
export function decideRiskHold(risk: OrderRisk): RiskDecision {
  const levels = risk.levels.filter((level): level is string => typeof level === 'string');
  const riskLevel = levels
    .filter((level) => LEVEL_ORDER.includes(level))
    .reduce((top, level) => (LEVEL_ORDER.indexOf(level) > LEVEL_ORDER.indexOf(top) ? level : top), 'NONE');
  if (riskLevel === 'HIGH' || risk.recommendation === 'CANCEL') {
    const why = [
      ...(riskLevel === 'HIGH' ? ['risk level HIGH'] : []),
      ...(risk.recommendation === 'CANCEL' ? ['recommendation CANCEL'] : []),
    ];
    return { decision: 'hold', riskLevel, recommendation: risk.recommendation, reason: `high risk: ${why.join(', ')}` };
  }
  if (levels.includes('PENDING')) {
    return { decision: 'pending' };
  }
  return { decision: 'pass', riskLevel, recommendation: risk.recommendation };
}

/**
 * Counted attempts an order waits for a PENDING risk assessment (through the retry queues: about 1 s, 5 s, 30 s and
 * 2 min) before it is written anyway, its audit saying the assessment was still pending.
 */
export const RISK_PENDING_MAX_ATTEMPTS = 4;
