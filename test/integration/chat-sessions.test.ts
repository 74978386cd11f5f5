// Chat history: sessions owned by one user (another user's is 404), messages with 5-minute duplicate
// suppression, partial batches, search, stats, the activity trail, and completions with session_id.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";
import { readSse } from "../support/sse";

interface Session {
  id: number;
  title: string;
  model: string | null;
  updated_at: string;
}
interface Message {
  id: number;
  role: string;
  content: string;
  model: string | null;
  tokens: number;
}

const api = (account: TestAccount, path: string, method = "GET", json?: unknown) =>
  call(path, { method, key: account.apiKey, json });

async function newSession(account: TestAccount, json: Record<string, unknown> = {}): Promise<Session> {
  const response = await api(account, "/v1/chat/sessions", "POST", json);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Session }).data;
}

async function messagesOf(account: TestAccount, sessionId: number): Promise<Message[]> {
  const response = await api(account, `/v1/chat/sessions/${sessionId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { messages: Message[] } }).data.messages;
}

const actionsOf = async (userId: number) =>
  (await execute(sql`select action from activity where user_id = ${userId} order by id`)).map((row) => row.action);

describe("chat sessions", () => {
  it("needs a key", async () => {
    expect((await call("/v1/chat/sessions")).status).toBe(401);
    expect((await call("/v1/chat/stats")).status).toBe(401);
  });

  it("creates with the seed's defaults, lists newest first with the total, renames, soft-deletes, and audits each", async () => {
    const user = await registerAccount();
    const first = await newSession(user);
    expect(first.title).toMatch(/^Chat \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(first.model).toBe("openai/gpt-3.5-turbo");
    const second = await newSession(user, { title: "Trip planning", model: "anthropic/claude-sonnet-4" });

    const page = await api(user, "/v1/chat/sessions?limit=1");
    expect(await page.json()).toMatchObject({ success: true, count: 1, total: 2, data: [{ id: second.id }] });
    const rest = await api(user, "/v1/chat/sessions?limit=1&offset=1");
    expect(await rest.json()).toMatchObject({ count: 1, data: [{ id: first.id }] });

    const renamed = await api(user, `/v1/chat/sessions/${first.id}`, "PUT", { title: "Renamed" });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ data: { id: first.id, title: "Renamed", messages: [] } });
    expect((await api(user, `/v1/chat/sessions/${first.id}`, "PUT", {})).status).toBe(400);

    expect((await api(user, `/v1/chat/sessions/${first.id}`, "DELETE")).status).toBe(200);
    expect((await api(user, `/v1/chat/sessions/${first.id}`)).status).toBe(404);
    expect((await api(user, `/v1/chat/sessions/${first.id}`, "DELETE")).status).toBe(404);
    expect(await (await api(user, "/v1/chat/sessions")).json()).toMatchObject({ total: 1, data: [{ id: second.id }] });
    const [row] = await execute(sql`select is_active from chat_sessions where id = ${first.id}`);
    expect(row?.is_active).toBe(false);

    expect(await actionsOf(user.userId)).toEqual([
      "user_registered",
      "session_created",
      "session_created",
      "session_updated",
      "session_deleted",
    ]);
  });

  it("hides another user's session everywhere (404)", async () => {
    const owner = await registerAccount();
    const other = await registerAccount();
    const session = await newSession(owner);
    for (const [method, path, json] of [
      ["GET", `/v1/chat/sessions/${session.id}`, undefined],
      ["PUT", `/v1/chat/sessions/${session.id}`, { title: "mine now" }],
      ["DELETE", `/v1/chat/sessions/${session.id}`, undefined],
      ["POST", `/v1/chat/sessions/${session.id}/messages`, { role: "user", content: "hi" }],
      ["POST", `/v1/chat/sessions/${session.id}/messages/batch`, { messages: [{ role: "user", content: "hi" }] }],
    ] as const) {
      const response = await api(other, path, method, json);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).error.code).toBe("session_not_found");
    }
    expect(await messagesOf(owner, session.id)).toEqual([]);
  });
});

describe("chat messages", () => {
  it("saves in order, returns a duplicate within 5 minutes instead of saving it again, and moves the session forward", async () => {
    const user = await registerAccount();
    const session = await newSession(user);
    const save = (json: unknown) => api(user, `/v1/chat/sessions/${session.id}/messages`, "POST", json);

    const saved = await save({ role: "user", content: "Hello there", tokens: 3 });
    const body = (await saved.json()) as { duplicate: boolean; data: Message };
    expect(body).toMatchObject({
      success: true,
      duplicate: false,
      data: { role: "user", content: "Hello there", tokens: 3 },
    });
    const again = (await (await save({ role: "user", content: "Hello there" })).json()) as {
      duplicate: boolean;
      data: Message;
    };
    expect(again).toMatchObject({ duplicate: true, data: { id: body.data.id } });
    await save({ role: "assistant", content: "Hello there", model: "openai/gpt-4o" });

    const messages = await messagesOf(user, session.id);
    expect(messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "Hello there"],
      ["assistant", "Hello there"],
    ]);
    const [row] = await execute(
      sql`select model, updated_at > created_at as moved from chat_sessions where id = ${session.id}`,
    );
    expect(row).toEqual({ model: "openai/gpt-4o", moved: true });

    // After 5 minutes the same text is a new message.
    await execute(
      sql`update chat_messages set created_at = now() - interval '6 minutes' where session_id = ${session.id}`,
    );
    expect(await (await save({ role: "user", content: "Hello there" })).json()).toMatchObject({ duplicate: false });
    const sent = await execute(
      sql`select count(*)::int as n from activity where user_id = ${user.userId} and action = 'message_sent'`,
    );
    expect(sent[0]?.n).toBe(3);
  });

  it("refuses a bad message with 400", async () => {
    const user = await registerAccount();
    const session = await newSession(user);
    for (const json of [{ role: "robot", content: "x" }, { role: "user", content: "" }, { role: "user" }]) {
      expect((await api(user, `/v1/chat/sessions/${session.id}/messages`, "POST", json)).status).toBe(400);
    }
  });

  it("saves a batch message by message and reports each failure", async () => {
    const user = await registerAccount();
    const session = await newSession(user);
    const response = await api(user, `/v1/chat/sessions/${session.id}/messages/batch`, "POST", {
      messages: [
        { role: "user", content: "first question" },
        { role: "wizard", content: "a message with a role nobody knows about at all, long" },
        { role: "assistant", content: "first answer", tokens: 7 },
        { role: "user", content: "" },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      success: boolean;
      data: {
        failed: { index: number; content_preview: string }[];
        success_count: number;
        failure_count: number;
        total: number;
      };
      message: string;
    };
    expect(body.success).toBe(false);
    expect(body.message).toBe("Saved 2/4 messages successfully");
    expect(body.data).toMatchObject({ total: 4, success_count: 2, failure_count: 2 });
    expect(body.data.failed.map((failure) => failure.index)).toEqual([1, 3]);
    expect(body.data.failed[0]?.content_preview).toBe("a message with a role nobody knows about at all, l");
    expect((await messagesOf(user, session.id)).map((message) => message.content)).toEqual([
      "first question",
      "first answer",
    ]);
  });

  it.skipIf(env.TEST_POSTGRES_KIND !== "postgres")(
    "saves one row when the same message is sent concurrently (real PostgreSQL)",
    async () => {
      const user = await registerAccount();
      const session = await newSession(user);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          api(user, `/v1/chat/sessions/${session.id}/messages`, "POST", { role: "user", content: "same" }),
        ),
      );
      const bodies = (await Promise.all(responses.map((response) => response.json()))) as { duplicate: boolean }[];
      expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
      expect(await messagesOf(user, session.id)).toHaveLength(1);
    },
  );
});

describe("search and stats", () => {
  it("finds own active sessions by title or message text, literally", async () => {
    const user = await registerAccount();
    const other = await registerAccount();
    const byTitle = await newSession(user, { title: "Budget 100% review" });
    const byMessage = await newSession(user, { title: "Untitled" });
    await api(user, `/v1/chat/sessions/${byMessage.id}/messages`, "POST", {
      role: "user",
      content: "what is 100% of x",
    });
    const unrelated = await newSession(user, { title: "100 things" });
    const deleted = await newSession(user, { title: "100% gone" });
    await api(user, `/v1/chat/sessions/${deleted.id}`, "DELETE");
    await newSession(other, { title: "100% theirs" });

    const response = await api(user, "/v1/chat/search", "POST", { query: "100%" });
    const body = (await response.json()) as { data: Session[]; total: number };
    expect(body.data.map((session) => session.id).sort()).toEqual([byTitle.id, byMessage.id].sort());
    expect(body.total).toBe(2);
    expect(body.data.map((session) => session.id)).not.toContain(unrelated.id);
    expect((await api(user, "/v1/chat/search", "POST", { query: "" })).status).toBe(400);
  });

  it("totals active sessions, their messages and tokens", async () => {
    const user = await registerAccount();
    const kept = await newSession(user);
    const gone = await newSession(user);
    await api(user, `/v1/chat/sessions/${kept.id}/messages/batch`, "POST", {
      messages: [
        { role: "user", content: "q", tokens: 5 },
        { role: "assistant", content: "a", tokens: 11 },
      ],
    });
    await api(user, `/v1/chat/sessions/${gone.id}/messages`, "POST", { role: "user", content: "x", tokens: 100 });
    await api(user, `/v1/chat/sessions/${gone.id}`, "DELETE");
    expect(await (await api(user, "/v1/chat/stats")).json()).toMatchObject({
      success: true,
      stats: { total_sessions: 1, total_messages: 2, total_tokens: 16 },
    });
  });
});

describe("chat completions with session_id", () => {
  const completion = (account: TestAccount, json: Record<string, unknown>, query = "") =>
    call(`/v1/chat/completions${query}`, { method: "POST", key: account.apiKey, json });

  it("appends the question and the answer after a JSON response", async () => {
    const user = await registerAccount();
    const session = await newSession(user);
    const response = await completion(user, {
      model: "openai/fixture:openai/chat-completion-text?case=sessions",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "What is a gateway?" }] },
      ],
      session_id: session.id,
    });
    expect(response.status).toBe(200);
    const answer = ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message
      .content;
    expect(answer?.length).toBeGreaterThan(0);
    const messages = await eventually(async () => {
      const saved = await messagesOf(user, session.id);
      expect(saved).toHaveLength(2);
      return saved;
    });
    expect(messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "What is a gateway?"],
      ["assistant", answer],
    ]);
    expect(messages[1]?.tokens).toBeGreaterThan(0);
  });

  it("appends the streamed answer, with session_id as a query parameter", async () => {
    const user = await registerAccount();
    const session = await newSession(user);
    const response = await completion(
      user,
      {
        model: "openai/fixture:openai/chat-stream-text-usage?case=sessions",
        messages: [{ role: "user", content: "Stream it" }],
        stream: true,
      },
      `?session_id=${session.id}`,
    );
    expect(response.status).toBe(200);
    const { events } = await readSse(response);
    const streamed = events
      .filter((event) => event !== "[DONE]")
      .map((event) => JSON.parse(event) as { choices?: { delta?: { content?: string } }[] })
      .map((chunk) => chunk.choices?.[0]?.delta?.content ?? "")
      .join("");
    const messages = await eventually(async () => {
      const saved = await messagesOf(user, session.id);
      expect(saved).toHaveLength(2);
      return saved;
    });
    expect(messages[1]).toMatchObject({ role: "assistant", content: streamed });
  });

  it("refuses another user's session with 404 before calling a provider, and a malformed id with 400", async () => {
    const owner = await registerAccount();
    const other = await registerAccount();
    const session = await newSession(owner);
    const body = {
      model: "openai/fixture:openai/chat-completion-text?case=sessions",
      messages: [{ role: "user", content: "x" }],
    };
    const refused = await completion(other, { ...body, session_id: session.id });
    expect(refused.status).toBe(404);
    expect((await errorOf(refused)).error.code).toBe("session_not_found");
    const requests = await execute(
      sql`select count(*)::int as n from chat_completion_requests where user_id = ${other.userId}`,
    );
    expect(requests[0]?.n).toBe(0);
    expect((await completion(other, body, "?session_id=abc")).status).toBe(400);
  });
});
