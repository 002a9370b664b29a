/** What every judge answers, and the decision derived from it. */
export type JudgeName = 'statistical' | 'llm' | 'combined';
export type Verdict = 'promote' | 'rollback' | 'inconclusive';

export interface Finding {
  check: string;
  status: 'pass' | 'warn' | 'fail' | 'nodata';
  critical: boolean;
  detail: string;
}

export interface Judgement {
  judge: JudgeName;
  /** 0 = certainly roll back … 1 = certainly promote; confidence is already folded in. */
  score: number;
  /** 0–100. */
  confidence: number;
  promote: boolean;
  summary: string;
  evidence: string[];
  suspectedCause: string;
  /** Deterministic key of the cause (masked template or check name), used for issue fingerprints. */
  causeKey: string;
  findings?: Finding[];
  /** Set when the judge could not answer (error, timeout, unparsable); such a judgement never promotes. */
  failure?: { code: string; message: string };
}

export interface Decision {
  verdict: Verdict;
  score: number;
  confidence: number;
  summary: string;
  suspectedCause: string;
  causeKey: string;
  judgements: Judgement[];
}

/** The JSON an LLM (or a remote A2A agent) must answer. */
export interface LlmVerdict {
  promote: boolean;
  confidence: number;
  summary: string;
  evidence: string[];
  suspectedCause: string;
}
