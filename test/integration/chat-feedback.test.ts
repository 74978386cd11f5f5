// Feedback on answers: types and ratings, ownership of the session and message named, filters,
// statistics computed in SQL, edits and deletes by the owner only.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { call, errorOf } from "../support/gateway";

const api = (account: TestAccount, path: string, method = "GET", json?: unknown) =>
  call(path, { method, key: account.apiKey, json });

async function sessionWithMessage(account: TestAccount): Promise<{ sessionId: number; messageId: number }> {
  const session = (await (await api(account, "/v1/chat/sessions", "POST", {})).json()) as { data: { id: number } };
  const message = (await (
    await api(account, `/v1/chat/sessions/${session.data.id}/messages`, "POST", {
      role: "assistant",
      content: "an answer",
    })
  ).json()) as { data: { id: number } };
  return { sessionId: session.data.id, messageId: message.data.id };
}

interface Feedback {
  id: number;
  feedback_type: string;
  rating: number | null;
  comment: string | null;
  session_id: number | null;
  message_id: number | null;
}

async function submit(account: TestAccount, json: Record<string, unknown>): Promise<Feedback> {
  const response = await api(account, "/v1/chat/feedback", "POST", json);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Feedback }).data;
}

describe("chat feedback", () => {
  it("needs a key", async () => {
    expect((await call("/v1/chat/feedback")).status).toBe(401);
    expect((await call("/v1/chat/feedback", { method: "POST", json: { feedback_type: "thumbs_up" } })).status).toBe(
      401,
    );
  });

  it("records feedback on your own session and message, with its activity row", async () => {
    const user = await registerAccount();
    const { sessionId, messageId } = await sessionWithMessage(user);
    const feedback = await submit(user, {
      session_id: sessionId,
      message_id: messageId,
      feedback_type: "thumbs_up",
      rating: 5,
      comment: "spot on",
      model: "openai/gpt-4o",
    });
    expect(feedback).toMatchObject({
      session_id: sessionId,
      message_id: messageId,
      feedback_type: "thumbs_up",
      rating: 5,
    });
    const [row] = await execute(
      sql`select details from activity where user_id = ${user.userId} and action = 'feedback_submitted'`,
    );
    expect(row?.details).toMatchObject({ feedback_id: feedback.id, feedback_type: "thumbs_up", session_id: sessionId });
  });

  it("refuses another user's session or message with 404, and a message of another session", async () => {
    const owner = await registerAccount();
    const other = await registerAccount();
    const theirs = await sessionWithMessage(owner);
    const mine = await sessionWithMessage(other);
    for (const [json, code] of [
      [{ session_id: theirs.sessionId }, "session_not_found"],
      [{ message_id: theirs.messageId }, "message_not_found"],
      [{ session_id: mine.sessionId, message_id: theirs.messageId }, "message_not_found"],
    ] as const) {
      const response = await api(other, "/v1/chat/feedback", "POST", { ...json, feedback_type: "thumbs_down" });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).error.code).toBe(code);
    }
    const second = await sessionWithMessage(other);
    const crossed = await api(other, "/v1/chat/feedback", "POST", {
      session_id: mine.sessionId,
      message_id: second.messageId,
      feedback_type: "regenerate",
    });
    expect(crossed.status).toBe(404);
    const rows = await execute(sql`select count(*)::int as n from message_feedback where user_id = ${other.userId}`);
    expect(rows[0]?.n).toBe(0);
  });

  it.each([
    ["an unknown type", { feedback_type: "meh" }],
    ["a rating of 0", { feedback_type: "thumbs_up", rating: 0 }],
    ["a rating of 6", { feedback_type: "thumbs_up", rating: 6 }],
    ["no type", { rating: 3 }],
  ])("refuses %s with 400", async (_, json) => {
    const user = await registerAccount();
    expect((await api(user, "/v1/chat/feedback", "POST", json)).status).toBe(400);
  });

  it("lists newest first with filters, and per session (404 for a session not yours)", async () => {
    const user = await registerAccount();
    const other = await registerAccount();
    const { sessionId } = await sessionWithMessage(user);
    const up = await submit(user, { feedback_type: "thumbs_up", model: "m-a", session_id: sessionId });
    const down = await submit(user, { feedback_type: "thumbs_down", model: "m-b" });
    const again = await submit(user, { feedback_type: "regenerate", model: "m-a" });

    const all = (await (await api(user, "/v1/chat/feedback")).json()) as { data: Feedback[]; total: number };
    expect(all.data.map((row) => row.id)).toEqual([again.id, down.id, up.id]);
    expect(all.total).toBe(3);
    const byModel = (await (await api(user, "/v1/chat/feedback?model=m-a&limit=1")).json()) as {
      data: Feedback[];
      total: number;
    };
    expect(byModel).toMatchObject({ total: 2, data: [{ id: again.id }] });
    const byType = (await (await api(user, "/v1/chat/feedback?feedback_type=thumbs_down")).json()) as {
      data: Feedback[];
    };
    expect(byType.data.map((row) => row.id)).toEqual([down.id]);
    const bySession = (await (await api(user, `/v1/chat/sessions/${sessionId}/feedback`)).json()) as {
      data: Feedback[];
    };
    expect(bySession.data.map((row) => row.id)).toEqual([up.id]);
    expect((await api(other, `/v1/chat/sessions/${sessionId}/feedback`)).status).toBe(404);
    expect((await api(user, "/v1/chat/feedback?feedback_type=nope")).status).toBe(400);
  });

  it("reports counts, rates, the average rating and a per-model breakdown", async () => {
    const user = await registerAccount();
    await submit(user, { feedback_type: "thumbs_up", rating: 5, model: "m-a" });
    await submit(user, { feedback_type: "thumbs_up", rating: 4, model: "m-a" });
    await submit(user, { feedback_type: "thumbs_down", rating: 1, model: "m-b" });
    await submit(user, { feedback_type: "regenerate" });
    // Older than the window: not counted.
    const old = await submit(user, { feedback_type: "thumbs_down", model: "m-a" });
    await execute(sql`update message_feedback set created_at = now() - interval '40 days' where id = ${old.id}`);

    const response = await api(user, "/v1/chat/feedback/stats?days=30");
    expect(await response.json()).toMatchObject({
      success: true,
      stats: {
        total_feedback: 4,
        thumbs_up: 2,
        thumbs_down: 1,
        regenerate: 1,
        thumbs_up_rate: 50,
        thumbs_down_rate: 25,
        average_rating: 3.33,
        by_model: {
          "m-a": { thumbs_up: 2, thumbs_down: 0, regenerate: 0, total: 2 },
          "m-b": { thumbs_up: 0, thumbs_down: 1, regenerate: 0, total: 1 },
          unknown: { thumbs_up: 0, thumbs_down: 0, regenerate: 1, total: 1 },
        },
        period_days: 30,
      },
    });
    const oneModel = (await (await api(user, "/v1/chat/feedback/stats?model=m-b")).json()) as {
      stats: { total_feedback: number; average_rating: number };
    };
    expect(oneModel.stats).toMatchObject({ total_feedback: 1, average_rating: 1 });
    const empty = (await (await api(await registerAccount(), "/v1/chat/feedback/stats")).json()) as {
      stats: Record<string, unknown>;
    };
    expect(empty.stats).toMatchObject({ total_feedback: 0, thumbs_up_rate: 0, average_rating: null, by_model: {} });
  });

  it("lets only the owner change or delete feedback (delete is permanent)", async () => {
    const owner = await registerAccount();
    const other = await registerAccount();
    const feedback = await submit(owner, { feedback_type: "thumbs_up", rating: 2, comment: "ok" });
    expect((await api(other, `/v1/chat/feedback/${feedback.id}`, "PUT", { rating: 1 })).status).toBe(404);
    expect((await api(other, `/v1/chat/feedback/${feedback.id}`, "DELETE")).status).toBe(404);

    const changed = await api(owner, `/v1/chat/feedback/${feedback.id}`, "PUT", {
      feedback_type: "thumbs_down",
      comment: null,
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      data: { feedback_type: "thumbs_down", rating: 2, comment: null },
    });
    expect((await api(owner, `/v1/chat/feedback/${feedback.id}`, "PUT", { rating: 9 })).status).toBe(400);

    expect((await api(owner, `/v1/chat/feedback/${feedback.id}`, "DELETE")).status).toBe(200);
    expect((await api(owner, `/v1/chat/feedback/${feedback.id}`, "DELETE")).status).toBe(404);
    const rows = await execute(sql`select 1 from message_feedback where id = ${feedback.id}`);
    expect(rows).toEqual([]);
  });
});
