// Fix suggestions: asked of the stub model through the gateway's own pipeline (logged and billed to
// the system account), stored, listed, and opened as a pull request against the fake GitHub API.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { reportCronFailure } from "../../src/operations/error-events";
import { execute } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, origin } from "../support/gateway";

interface Fix {
  id: number;
  error_pattern_id: string;
  error_message: string | null;
  model: string;
  analysis: string;
  proposed_fix: string;
  code_changes: Record<string, string>;
  status: string;
  pr_url: string | null;
  error: string | null;
  request_ids: string[];
  cost_usd: number;
}

interface Body {
  error: { code: string; message: string };
  status: string;
  fix: Fix;
  pull_request: { requested: boolean; opened: boolean; url: string | null; reason: string | null };
  fixes: (Fix & { pull_request: { opened: boolean } })[];
  total_fixes: number;
  count: number;
  not_found: string[];
  failed: { error_id: string; error: string }[];
  patterns: { error_id: string; message: string }[];
}

interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const MODEL = { ERROR_MONITOR_MODEL: "stub/stub-model" };

function uniqueWord(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => String.fromCharCode(97 + (byte % 26))).join(
    "",
  );
}

async function adminWith(path: string, method: string, overrides: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}` } }),
    { ...env, ...overrides },
    ctx,
  );
  const body = (await response.json()) as Body;
  await waitOnExecutionContext(ctx);
  return { status: response.status, body };
}

/** A pattern of its own (an INTERNAL_ERROR: not fixable, so the monitor's auto-fix never picks it). */
async function newPattern(): Promise<string> {
  const word = uniqueWord();
  await reportCronFailure(env, "*/15 * * * *", new Error(`${word} handler reached an unexpected state`));
  const { body } = await adminWith("/error-monitor/errors/patterns?source=cron&limit=1000", "GET");
  const pattern = body.patterns.find((item) => item.message.includes(word));
  if (!pattern) throw new Error("the pattern was not recorded");
  return pattern.error_id;
}

async function scriptGitHub(prefix: string, method: string, path: string, status: number, body: unknown) {
  await fetch(`${env.TEST_FAKE_SERVICES_URL}/__script`, {
    method: "POST",
    body: JSON.stringify({ service: "github", method, path: `${prefix}${path}`, status, body }),
  });
}

async function gitHubRequests(prefix: string): Promise<RecordedRequest[]> {
  const all = (await (
    await fetch(`${env.TEST_FAKE_SERVICES_URL}/__requests?service=github`)
  ).json()) as RecordedRequest[];
  return all.filter((request) => request.path.startsWith(prefix));
}

/** A repository acme/widgets whose default branch is trunk, under a path prefix of its own. */
async function fakeRepository(prefix: string, pullStatus = 201) {
  const repo = "/repos/acme/widgets";
  await scriptGitHub(prefix, "GET", repo, 200, { default_branch: "trunk" });
  await scriptGitHub(prefix, "GET", `${repo}/git/ref/heads/trunk`, 200, { object: { sha: "0123abcd" } });
  await scriptGitHub(prefix, "POST", `${repo}/git/refs`, 201, { ref: "refs/heads/x" });
  await scriptGitHub(prefix, "GET", `${repo}/contents/*`, 404, { message: "Not Found" });
  await scriptGitHub(prefix, "PUT", `${repo}/contents/*`, 201, { content: {} });
  await scriptGitHub(
    prefix,
    "POST",
    `${repo}/pulls`,
    pullStatus,
    pullStatus === 201
      ? { html_url: "https://github.com/acme/widgets/pull/7", number: 7 }
      : { message: "Validation Failed" },
  );
  return {
    ...MODEL,
    GITHUB_TOKEN: "ghp_errormonitortesttoken0123456789",
    GITHUB_REPO: "acme/widgets",
    GITHUB_API_URL: `${env.TEST_FAKE_SERVICES_URL}/github${prefix}`,
  };
}

beforeAll(async () => {
  // The dev stub's model with the dev seed's prices ($1 / $2 per million tokens): its calls cost something.
  await execute(sql`insert into providers (slug, name) values ('stub', 'Local stub') on conflict (slug) do nothing`);
  await execute(sql`
    insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion)
    select id, 'stub-model', 'Local stub model', 0.000001, 0.000002 from providers where slug = 'stub'
    on conflict (provider_id, provider_model_id) do nothing`);
});

describe("fix suggestions", () => {
  it("answer 503 without ERROR_MONITOR_MODEL, and 404 for an unknown pattern", async () => {
    const fingerprint = await newPattern();
    const single = await adminWith(`/error-monitor/fixes/generate-for-error?error_id=${fingerprint}`, "POST");
    expect(single.status).toBe(503);
    expect(single.body.error.code).toBe("error_monitor_model_not_configured");
    expect((await adminWith(`/error-monitor/fixes/generate-batch?error_ids=${fingerprint}`, "POST")).status).toBe(503);
    const unknown = await adminWith(
      "/error-monitor/fixes/generate-for-error?error_id=ffffffffffffffffffffffff",
      "POST",
      MODEL,
    );
    expect(unknown.status).toBe(404);
    expect((await adminWith("/error-monitor/fixes/generated", "GET")).status).toBe(200);
    expect((await call("/error-monitor/fixes/generated")).status).toBe(401);
  });

  it("run through the gateway's pipeline: logged and billed to the system account, then stored", async () => {
    const fingerprint = await newPattern();
    const { status, body } = await adminWith(
      `/error-monitor/fixes/generate-for-error?error_id=${fingerprint}`,
      "POST",
      MODEL,
    );
    expect(status).toBe(200);
    expect(body.status).toBe("success");
    expect(body.pull_request).toEqual({ requested: false, opened: false, url: null, reason: null });
    const { fix } = body;
    expect(fix).toMatchObject({
      error_pattern_id: fingerprint,
      model: "stub/stub-model",
      status: "pending",
      pr_url: null,
    });
    expect(fix.analysis).toContain("local stub provider");
    expect(fix.proposed_fix).toContain("local stub provider");
    expect(fix.code_changes).toEqual({});
    expect(fix.error_message).toContain("unexpected state");
    expect(fix.request_ids).toHaveLength(2);

    const [account] = await execute(
      sql`select (value->>'user_id')::int as id from operation_settings where key = 'error_monitor_account'`,
    );
    const systemUserId = Number(account?.id);
    const [user] = await execute(sql`select username, role, subscription_status from users where id = ${systemUserId}`);
    expect(user).toMatchObject({ role: "user", subscription_status: "bot" });
    expect(String(user?.username)).toMatch(/^system-error-monitor/);

    const ids = sql`array[${fix.request_ids[0]}, ${fix.request_ids[1]}]::text[]`;
    const logged = await execute(
      sql`select user_id, status, requested_model, cost_usd from chat_completion_requests where request_id = any(${ids})`,
    );
    expect(logged).toHaveLength(2);
    for (const row of logged) {
      expect(row).toMatchObject({ user_id: systemUserId, status: "completed", requested_model: "stub/stub-model" });
      expect(Number(row.cost_usd)).toBeGreaterThan(0);
    }
    const [total] = await execute(
      sql`select sum(cost_usd)::text as cost from chat_completion_requests where request_id = any(${ids})`,
    );
    expect(fix.cost_usd).toBe(Number(total?.cost));
    const charges = await execute(sql`select amount from credit_transactions where type = 'api_usage'
      and idempotency_key = any(array[${`usage:${fix.request_ids[0]}`}, ${`usage:${fix.request_ids[1]}`}]::text[])`);
    expect(charges).toHaveLength(2);
    const funding = await execute(
      sql`select amount from credit_transactions where user_id = ${systemUserId} and type = 'transfer' and created_by = 'system:error-monitor'`,
    );
    expect(funding.length).toBeGreaterThanOrEqual(1);

    const one = await adminWith(`/error-monitor/fixes/${fix.id}`, "GET");
    expect(one.body.fix).toEqual(fix);
    const listed = await adminWith(`/error-monitor/fixes/generated?error_id=${fingerprint}`, "GET");
    expect(listed.body).toMatchObject({ total_fixes: 1, count: 1 });
    expect(listed.body.fixes[0]?.id).toBe(fix.id);
    expect((await adminWith("/error-monitor/fixes/2147483000", "GET")).status).toBe(404);
    expect((await adminWith("/error-monitor/fixes/abc", "GET")).status).toBe(400);
  });

  it("open a pull request through GitHub's REST API when create_pr is set and GitHub is configured", async () => {
    const fingerprint = await newPattern();
    const prefix = `/${uniqueWord()}`;
    const settings = await fakeRepository(prefix);
    const { status, body } = await adminWith(
      `/error-monitor/fixes/generate-for-error?error_id=${fingerprint}&create_pr=true`,
      "POST",
      settings,
    );
    expect(status).toBe(200);
    expect(body.pull_request).toEqual({
      requested: true,
      opened: true,
      url: "https://github.com/acme/widgets/pull/7",
      reason: null,
    });
    expect(body.fix).toMatchObject({ status: "pr_opened", pr_url: "https://github.com/acme/widgets/pull/7" });

    const requests = await gitHubRequests(prefix);
    const branch = `error-fix/${body.fix.id}-${fingerprint.slice(0, 8)}`;
    const notePath = `docs/error-fixes/${fingerprint}.md`;
    expect(requests.map((request) => `${request.method} ${request.path.slice(prefix.length)}`)).toEqual([
      "GET /repos/acme/widgets",
      "GET /repos/acme/widgets/git/ref/heads/trunk",
      "POST /repos/acme/widgets/git/refs",
      `GET /repos/acme/widgets/contents/${notePath}`,
      `PUT /repos/acme/widgets/contents/${notePath}`,
      "POST /repos/acme/widgets/pulls",
    ]);
    for (const request of requests) expect(request.headers.authorization).toBe(`Bearer ${settings.GITHUB_TOKEN}`);
    expect(JSON.parse(requests[2]?.body ?? "{}")).toEqual({ ref: `refs/heads/${branch}`, sha: "0123abcd" });
    const put = JSON.parse(requests[4]?.body ?? "{}") as { branch: string; content: string };
    expect(put.branch).toBe(branch);
    const note = new TextDecoder().decode(Uint8Array.from(atob(put.content), (char) => char.charCodeAt(0)));
    expect(note).toContain(fingerprint);
    expect(note).toContain("local stub provider");
    expect(JSON.parse(requests[5]?.body ?? "{}")).toMatchObject({ head: branch, base: "trunk" });

    const stored = await adminWith(`/error-monitor/fixes/${body.fix.id}`, "GET");
    expect(stored.body.fix).toMatchObject({ status: "pr_opened", pr_url: "https://github.com/acme/widgets/pull/7" });
  });

  it("record a pull request GitHub refused as pr_failed, without the token", async () => {
    const fingerprint = await newPattern();
    const prefix = `/${uniqueWord()}`;
    const settings = await fakeRepository(prefix, 422);
    const { body } = await adminWith(
      `/error-monitor/fixes/generate-for-error?error_id=${fingerprint}&create_pr=true`,
      "POST",
      settings,
    );
    expect(body.pull_request).toMatchObject({ requested: true, opened: false, url: null });
    expect(body.fix.status).toBe("pr_failed");
    expect(body.fix.error).toContain("HTTP 422");
    expect(JSON.stringify(body)).not.toContain(settings.GITHUB_TOKEN);
  });

  it("leave the fix pending when GitHub is not configured, and say why", async () => {
    const fingerprint = await newPattern();
    const { body } = await adminWith(
      `/error-monitor/fixes/generate-for-error?error_id=${fingerprint}&create_pr=true`,
      "POST",
      MODEL,
    );
    expect(body.fix.status).toBe("pending");
    expect(body.pull_request).toMatchObject({
      requested: true,
      opened: false,
      reason: "GITHUB_TOKEN and GITHUB_REPO are not set",
    });
  });

  it("come in batches: known ids get a fix, unknown ids are listed, none known is a 404", async () => {
    const [first, second] = [await newPattern(), await newPattern()];
    const unknown = "eeeeeeeeeeeeeeeeeeeeeeee";
    const { status, body } = await adminWith(
      `/error-monitor/fixes/generate-batch?error_ids=${first}&error_ids=${second},${unknown}`,
      "POST",
      MODEL,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "success", count: 2, not_found: [unknown], failed: [] });
    expect(body.fixes.map((fix) => fix.error_pattern_id).sort()).toEqual([first, second].sort());
    expect((await adminWith(`/error-monitor/fixes/generate-batch?error_ids=${unknown}`, "POST", MODEL)).status).toBe(
      404,
    );
    const tooMany = Array.from({ length: 11 }, (_, index) => `${index}`.padStart(24, "a")).join(",");
    expect((await adminWith(`/error-monitor/fixes/generate-batch?error_ids=${tooMany}`, "POST", MODEL)).status).toBe(
      400,
    );
  });
});
