// What the inference pipeline needs from its surroundings; the HTTP layer builds it (no Hono here).

import type { Toucan } from "toucan-js";
import type { Database, SqlDatabase } from "../db/client";
import type { Config, Env } from "../env";

/** Who pays: a user through a key, or nobody (anonymous use of the allowed free models). */
export interface Caller {
  userId: number | null;
  apiKeyId: number | null;
  allowedModels: readonly string[];
  /** Concurrent requests allowed for this key (its rate-limit override); null = not gated. */
  concurrencyLimit: number | null;
}

export interface InferenceContext {
  requestId: string;
  env: Env;
  config: Config;
  db: () => Database;
  /** SQL over HTTP, for the one-statement queries of the hot path (no connection to set up). */
  sql: () => SqlDatabase;
  /** Work that outlives the response (waitUntil); failures are logged, never thrown. */
  defer: (work: Promise<unknown>) => void;
  /** Keeps per-request resources open (for a stream that settles when it ends); call the release. */
  hold: () => () => void;
  caller: Caller;
  /** Per-request Sentry client, when SENTRY_DSN is set. */
  sentry?: Toucan;
  /** Aborted when the client goes away. */
  clientSignal?: AbortSignal;
  /** Told the answer once a request completed (e.g. to append it to a chat session); runs deferred. */
  onAnswered?: (answer: Answer) => Promise<void>;
}

/** A completed request's answer: the assistant's text and what it cost in tokens. */
export interface Answer {
  content: string;
  /** The model as the client asked for it. */
  model: string;
  provider: string;
  upstreamModel: string;
  promptTokens: number;
  completionTokens: number;
  /** What the request cost, exact decimal USD. */
  cost: string;
}
