// Opening a pull request through GitHub's REST API (no git binary on Workers): a branch ref from the
// default branch's head, each file put through the contents API, then the pull request itself.
import type { Config } from "../env";
import { scrubSecrets } from "./error-classify";

export type GitHubConfig = Pick<Config, "GITHUB_TOKEN" | "GITHUB_REPO" | "GITHUB_API_URL">;

export interface PullRequestInput {
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
  /** Repository path → full new content. */
  files: Record<string, string>;
}

export interface OpenedPullRequest {
  url: string;
  number: number;
  branch: string;
}

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

export function gitHubConfigured(config: GitHubConfig): boolean {
  return config.GITHUB_TOKEN !== undefined && config.GITHUB_REPO !== undefined;
}

/** UTF-8 text as base64 (the contents API's encoding). */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

export async function openPullRequest(config: GitHubConfig, input: PullRequestInput): Promise<OpenedPullRequest> {
  const token = config.GITHUB_TOKEN;
  const repo = config.GITHUB_REPO;
  if (!token || !repo) throw new GitHubError("GITHUB_TOKEN and GITHUB_REPO are not set");
  const base = `${config.GITHUB_API_URL.replace(/\/+$/, "")}/repos/${repo}`;
  const call = async (method: string, path: string, body?: unknown, allow404 = false): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "edge-llm-gateway-error-monitor",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (allow404 && response.status === 404) return undefined;
    const text = await response.text();
    if (!response.ok) {
      // GitHub's error bodies never hold the token, but scrub anyway: this text is stored with the fix.
      throw new GitHubError(
        `GitHub ${method} ${path} answered HTTP ${response.status}: ${scrubSecrets(text, [token]).slice(0, 300)}`,
        response.status,
      );
    }
    return text ? JSON.parse(text) : {};
  };
  const field = (value: unknown, ...keys: string[]): unknown => {
    let current = value;
    for (const key of keys) {
      current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined;
    }
    return current;
  };

  const defaultBranch = field(await call("GET", ""), "default_branch");
  if (typeof defaultBranch !== "string") throw new GitHubError("GitHub did not name the repository's default branch");
  const head = field(await call("GET", `/git/ref/heads/${encodePath(defaultBranch)}`), "object", "sha");
  if (typeof head !== "string") throw new GitHubError(`GitHub did not give the head of ${defaultBranch}`);
  await call("POST", "/git/refs", { ref: `refs/heads/${input.branch}`, sha: head });
  for (const [path, content] of Object.entries(input.files)) {
    // Replacing an existing file needs its blob sha; a new file has none (404).
    const existing = await call(
      "GET",
      `/contents/${encodePath(path)}?ref=${encodeURIComponent(input.branch)}`,
      undefined,
      true,
    );
    const sha = field(existing, "sha");
    await call("PUT", `/contents/${encodePath(path)}`, {
      message: `${input.commitMessage} (${path})`,
      content: base64Utf8(content),
      branch: input.branch,
      ...(typeof sha === "string" ? { sha } : {}),
    });
  }
  const pull = await call("POST", "/pulls", {
    title: input.title,
    head: input.branch,
    base: defaultBranch,
    body: input.body,
  });
  const url = field(pull, "html_url");
  const number = field(pull, "number");
  if (typeof url !== "string") throw new GitHubError("GitHub did not return the pull request's URL");
  return { url, number: typeof number === "number" ? number : 0, branch: input.branch };
}
