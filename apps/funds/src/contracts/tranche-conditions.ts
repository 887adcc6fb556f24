import type { TrancheConditionKind } from './tranche-schedule';

export interface OpenFinding {
  auditId: string;
  auditedOn: string;
  description: string;
}

/** What a tranche's condition is decided on, gathered as of `today` (Asia/Shanghai). */
export interface ConditionFacts {
  today: string;
  signedOn: string;
  /** Audits of the contract that passed, or whose findings were all rectified. */
  passedAudits: number;
  /** For an audit_passed tranche: its position among the contract's audit_passed tranches (1…). */
  auditOrdinal: number;
  /** Open findings of any audit of the contract: they block every unpaid tranche. */
  openFindings: OpenFinding[];
  milestone: {
    siteKind: string;
    minimum: number;
    operating: number;
    regionPrefix: string;
  } | null;
  manualApproval: { by: string; at: string } | null;
}

export interface ConditionVerdict {
  met: boolean;
  /** Why it is met or not, in words an official reads. */
  reasons: string[];
}

/**
 * Whether a tranche may be paid now. Open audit findings block every unpaid tranche whatever its
 * condition. `audit_passed`: the n-th audit_passed tranche of a contract needs n passed audits
 * (30% after the mid-term audit, 40% after the final acceptance audit). `milestone`: at least N
 * sites of a kind operated by the contractor inside the program's region are operating today.
 * `manual_approval`: an official recorded an approval of this tranche.
 */
export function evaluateCondition(
  kind: TrancheConditionKind,
  facts: ConditionFacts,
): ConditionVerdict {
  const reasons: string[] = [];
  let met = true;
  switch (kind) {
    case 'on_signing':
      if (facts.signedOn <= facts.today) {
        reasons.push(`contract signed on ${facts.signedOn}`);
      } else {
        met = false;
        reasons.push(`contract is only signed on ${facts.signedOn}`);
      }
      break;
    case 'audit_passed':
      if (facts.passedAudits >= facts.auditOrdinal) {
        reasons.push(
          `needs ${facts.auditOrdinal} passed audit${facts.auditOrdinal > 1 ? 's' : ''} of this contract; ${facts.passedAudits} recorded`,
        );
      } else {
        met = false;
        reasons.push(
          `needs ${facts.auditOrdinal} passed audit${facts.auditOrdinal > 1 ? 's' : ''} of this contract; only ${facts.passedAudits} recorded`,
        );
      }
      break;
    case 'milestone': {
      const m = facts.milestone;
      if (!m) {
        met = false;
        reasons.push('milestone has no site target');
        break;
      }
      const text = `${m.operating} ${m.siteKind} operated by the contractor in ${m.regionPrefix} operating on ${facts.today}; needs ≥ ${m.minimum}`;
      if (m.operating >= m.minimum) reasons.push(text);
      else {
        met = false;
        reasons.push(`only ${text}`);
      }
      break;
    }
    case 'manual_approval':
      if (facts.manualApproval) {
        reasons.push(`approved by ${facts.manualApproval.by} at ${facts.manualApproval.at}`);
      } else {
        met = false;
        reasons.push('waiting for an official to record the manual approval of this tranche');
      }
      break;
  }
  if (facts.openFindings.length > 0) {
    met = false;
    for (const finding of facts.openFindings) {
      reasons.push(
        `blocked by an open finding of the audit of ${finding.auditedOn} (${finding.auditId}): ${finding.description}`,
      );
    }
  }
  return { met, reasons };
}
