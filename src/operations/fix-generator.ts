// Fix suggestions for an error pattern, asked of ERROR_MONITOR_MODEL through the gateway's own
// inference pipeline (runChatCompletion with an InferenceContext for the system account): each model
// call is resolved, failed over, logged in chat_completion_requests and charged like any request.
import type { Toucan } from "toucan-js";
import type { Database, SqlDatabase } from "../db/client";
import type { ErrorPattern } from "../db/error-events";
import {
  costOfRequests,
  ensureSystemAccount,
  type FixRecord,
  insertFix,
  topUpSystemAccount,
  updateFixPullRequest,
} from "../db/error-fixes";
import type { Config, Env } from "../env";
import { runChatCompletion } from "../gateway/chat-completion";
import type { InferenceContext } from "../gateway/context";
import { ApiError, serviceUnavailable } from "../lib/errors";
import type { ChatCompletion } from "../providers/openai-types";
import { errorText, scrubSecrets } from "./error-classify";
import { analysisMessages, fixMessages, fixNote, parseFixAnswer } from "./fix-prompts";
import { gitHubConfigured, openPullRequest } from "./github";

/** What the error monitor needs from its caller: a request (route handlers) or a cron tick. */
export interface OperationsDeps {
  env: Env;
  config: Config;
  db: () => Database;
  sql: () => SqlDatabase;
  /** Work that outlives the response (waitUntil); failures are logged, never thrown. */
  defer: (work: Promise<unknown>) => void;
  sentry?: Toucan;
}

/**
 * Budget of the system account: below $1 it is raised back to $5 with a `transfer` ledger row by
 * system:error-monitor, before a suggestion is asked for. Every model call is then an ordinary
 * `api_usage` charge, so the monitor's spending is the sum of that account's usage rows.
 */
const BUDGET_FLOOR_USD = "1";
const BUDGET_TARGET_USD = "5";

export function requireFixModel(config: Config): string {
  const model = config.ERROR_MONITOR_MODEL;
  if (!model) {
    throw serviceUnavailable(
      "Fix generation is off: set ERROR_MONITOR_MODEL (e.g. anthropic/claude-sonnet-4) to the model the error monitor should ask",
      "error_monitor_model_not_configured",
    );
  }
  return model;
}

interface Answer {
  requestId: string;
  text: string;
}

/** One chat completion through the pipeline, waiting for its settlement (so its cost is known). */
async function ask(
  deps: OperationsDeps,
  userId: number,
  model: string,
  messages: Record<string, unknown>[],
  maxTokens: number,
): Promise<Answer> {
  const requestId = `errmon_${crypto.randomUUID()}`;
  const pending: Promise<unknown>[] = [];
  const ctx: InferenceContext = {
    requestId,
    env: deps.env,
    config: deps.config,
    db: deps.db,
    sql: deps.sql,
    defer: (work) => {
      const settled = work.catch((error: unknown) => {
        console.error(JSON.stringify({ msg: "deferred work failed", request_id: requestId, error: String(error) }));
      });
      pending.push(settled);
      deps.defer(settled);
    },
    hold: () => () => undefined,
    caller: { userId, apiKeyId: null, allowedModels: [], concurrencyLimit: null },
    sentry: deps.sentry,
  };
  try {
    const response = await runChatCompletion({ model, messages, max_tokens: maxTokens, stream: false }, ctx);
    const completion: ChatCompletion = await response.json();
    const content = completion.choices[0]?.message?.content;
    return { requestId, text: typeof content === "string" ? content : "" };
  } catch (error) {
    const reason = error instanceof ApiError ? error.message : errorText(error);
    throw new ApiError(
      502,
      `Fix generation failed: the model call (${model}) was refused: ${reason}`,
      "fix_generation_failed",
    );
  } finally {
    await Promise.allSettled(pending);
  }
}

export interface PullRequestOutcome {
  requested: boolean;
  opened: boolean;
  url: string | null;
  reason: string | null;
}

export interface GeneratedFix {
  fix: FixRecord;
  pullRequest: PullRequestOutcome;
}

export async function generateFix(
  deps: OperationsDeps,
  pattern: ErrorPattern,
  options: { createPr: boolean },
): Promise<GeneratedFix> {
  const model = requireFixModel(deps.config);
  const db = deps.db();
  const userId = await ensureSystemAccount(db);
  await topUpSystemAccount(db, userId, BUDGET_FLOOR_USD, BUDGET_TARGET_USD);
  const analysis = await ask(deps, userId, model, analysisMessages(pattern), 1024);
  const answer = await ask(deps, userId, model, fixMessages(pattern, analysis.text), 2048);
  const parsed = parseFixAnswer(answer.text);
  const requestIds = [analysis.requestId, answer.requestId];
  let fix = await insertFix(db, {
    fingerprint: pattern.fingerprint,
    category: pattern.category,
    severity: pattern.severity,
    model,
    analysis: analysis.text,
    proposedFix: parsed.proposedFix,
    codeChanges: parsed.codeChanges,
    filesAffected: parsed.filesAffected,
    status: "pending",
    requestIds,
    costUsd: await costOfRequests(db, requestIds),
  });
  if (!options.createPr) return { fix, pullRequest: { requested: false, opened: false, url: null, reason: null } };
  if (!gitHubConfigured(deps.config)) {
    return {
      fix,
      pullRequest: { requested: true, opened: false, url: null, reason: "GITHUB_TOKEN and GITHUB_REPO are not set" },
    };
  }
  const notePath = `docs/error-fixes/${pattern.fingerprint}.md`;
  try {
    const opened = await openPullRequest(deps.config, {
      branch: `error-fix/${fix.id}-${pattern.fingerprint.slice(0, 8)}`,
      title: `Fix ${pattern.category.toLowerCase()}: ${pattern.message.slice(0, 60)}`,
      body: `${parsed.proposedFix.slice(0, 3000)}\n\nSuggested by the error monitor (fix #${fix.id}, ${model}); review before merging.`,
      commitMessage: `Error monitor fix #${fix.id}`,
      files: { [notePath]: fixNote(pattern, analysis.text, parsed, model), ...parsed.codeChanges },
    });
    await updateFixPullRequest(db, fix.id, { status: "pr_opened", prUrl: opened.url, error: null });
    fix = { ...fix, status: "pr_opened", prUrl: opened.url };
    return { fix, pullRequest: { requested: true, opened: true, url: opened.url, reason: null } };
  } catch (error) {
    const reason = scrubSecrets(errorText(error), deps.config.GITHUB_TOKEN ? [deps.config.GITHUB_TOKEN] : []).slice(
      0,
      500,
    );
    console.error(JSON.stringify({ msg: "fix pull request failed", fix_id: fix.id, error: reason }));
    await updateFixPullRequest(db, fix.id, { status: "pr_failed", prUrl: null, error: reason });
    fix = { ...fix, status: "pr_failed", error: reason };
    return { fix, pullRequest: { requested: true, opened: false, url: null, reason } };
  }
}
