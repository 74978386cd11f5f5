// Anomalies: each provider's recent window (default the last 15 minutes) against its own baseline
// (default the 24 hours before that window), on two signals, each judged only with enough data.
//
// Error rate (server errors / requests):
//   p0 = (baseline errors + 1) / (baseline requests + 2)      (smoothed: a clean baseline is not 0)
//   z  = (p − p0) / √(p0 (1 − p0) / n)                        (n recent requests, p their error rate)
//   anomalous when n ≥ 10, baseline ≥ 30 requests, z ≥ 3 and p − p0 ≥ 0.05; critical when p ≥ 0.5.
// Response time (completed requests: first chunk for streams, total latency otherwise):
//   z = (recent mean − baseline mean) / (baseline sd / √m)    (m recent completed requests)
//   anomalous when m ≥ 10, baseline ≥ 30 completed, z ≥ 3 and recent mean ≥ 1.5 × baseline mean;
//   critical when ≥ 3 × baseline mean.
// Only rises are flagged (fewer errors or faster answers are not incidents). The z-score keeps small
// samples from alarming; the absolute (5 points) and relative (1.5 ×) floors keep large samples from
// flagging differences too small to matter.
import type { Database } from "../db/client";
import { recentVersusBaseline, type WindowVersusBaseline } from "../db/monitoring-windows";

export const anomalyPolicy = {
  recentMinutes: 15,
  baselineHours: 24,
  minRecent: 10,
  minBaseline: 30,
  zThreshold: 3,
  minErrorRateIncrease: 0.05,
  criticalErrorRate: 0.5,
  minLatencyRatio: 1.5,
  criticalLatencyRatio: 3,
} as const;

export type Severity = "warning" | "critical";

export interface SignalVerdict {
  signal: "error_rate" | "response_time";
  /** "insufficient_data" when either side has too few requests to judge. */
  verdict: "anomalous" | "normal" | "insufficient_data";
  severity: Severity | null;
  recent: number | null;
  baseline: number | null;
  zScore: number | null;
  /** recent / baseline (response time), or recent − baseline (error rate). */
  change: number | null;
  recentSamples: number;
  baselineSamples: number;
}

export interface ProviderAnomalies {
  provider: string;
  errorRate: SignalVerdict;
  responseTime: SignalVerdict;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function judgeErrorRate(row: WindowVersusBaseline): SignalVerdict {
  const n = row.recent.requests;
  const nb = row.baseline.requests;
  const base: Omit<SignalVerdict, "verdict" | "severity" | "recent" | "baseline" | "zScore" | "change"> = {
    signal: "error_rate",
    recentSamples: n,
    baselineSamples: nb,
  };
  if (n < anomalyPolicy.minRecent || nb < anomalyPolicy.minBaseline) {
    return {
      ...base,
      verdict: "insufficient_data",
      severity: null,
      recent: null,
      baseline: null,
      zScore: null,
      change: null,
    };
  }
  const p = row.recent.serverErrors / n;
  const p0 = (row.baseline.serverErrors + 1) / (nb + 2);
  const z = (p - p0) / Math.sqrt((p0 * (1 - p0)) / n);
  const anomalous = z >= anomalyPolicy.zThreshold && p - p0 >= anomalyPolicy.minErrorRateIncrease;
  return {
    ...base,
    verdict: anomalous ? "anomalous" : "normal",
    severity: anomalous ? (p >= anomalyPolicy.criticalErrorRate ? "critical" : "warning") : null,
    recent: round(p, 4),
    baseline: round(p0, 4),
    zScore: round(z, 2),
    change: round(p - p0, 4),
  };
}

export function judgeResponseTime(row: WindowVersusBaseline): SignalVerdict {
  const m = row.recent.responseCount;
  const mb = row.baseline.responseCount;
  const base = { signal: "response_time" as const, recentSamples: m, baselineSamples: mb };
  const recentMean = row.recent.responseMeanMs;
  const baselineMean = row.baseline.responseMeanMs;
  if (m < anomalyPolicy.minRecent || mb < anomalyPolicy.minBaseline || recentMean === null || baselineMean === null) {
    return {
      ...base,
      verdict: "insufficient_data",
      severity: null,
      recent: null,
      baseline: null,
      zScore: null,
      change: null,
    };
  }
  const sd = row.baseline.responseStddevMs ?? 0;
  const ratio = baselineMean > 0 ? recentMean / baselineMean : recentMean > 0 ? Number.POSITIVE_INFINITY : 1;
  // A baseline with no spread at all: any rise is infinitely many standard errors away.
  const z =
    sd > 0
      ? (recentMean - baselineMean) / (sd / Math.sqrt(m))
      : recentMean > baselineMean
        ? Number.POSITIVE_INFINITY
        : 0;
  const anomalous = z >= anomalyPolicy.zThreshold && ratio >= anomalyPolicy.minLatencyRatio;
  return {
    ...base,
    verdict: anomalous ? "anomalous" : "normal",
    severity: anomalous ? (ratio >= anomalyPolicy.criticalLatencyRatio ? "critical" : "warning") : null,
    recent: Math.round(recentMean),
    baseline: Math.round(baselineMean),
    zScore: Number.isFinite(z) ? round(z, 2) : null,
    change: Number.isFinite(ratio) ? round(ratio, 2) : null,
  };
}

export async function detectAnomalies(
  db: Database,
  options: { recentMinutes?: number; baselineHours?: number; now?: number } = {},
): Promise<{ recentFrom: Date; baselineFrom: Date; providers: ProviderAnomalies[] }> {
  const now = options.now ?? Date.now();
  const recentFrom = new Date(now - (options.recentMinutes ?? anomalyPolicy.recentMinutes) * 60_000);
  const baselineFrom = new Date(
    recentFrom.getTime() - (options.baselineHours ?? anomalyPolicy.baselineHours) * 3_600_000,
  );
  const rows = await recentVersusBaseline(db, baselineFrom, recentFrom);
  return {
    recentFrom,
    baselineFrom,
    providers: rows.map((row) => ({
      provider: row.provider,
      errorRate: judgeErrorRate(row),
      responseTime: judgeResponseTime(row),
    })),
  };
}
