import type { RouteHandler } from "@hono/zod-openapi";
import { findSession } from "../../db/chat-sessions";
import {
  updateFeedback as changeFeedback,
  type FeedbackRow,
  feedbackStats,
  submitFeedback as insertFeedback,
  listFeedback as readFeedback,
  deleteFeedback as removeFeedback,
} from "../../db/feedback";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { percentOf } from "../../lib/percent";
import { currentUser } from "../../middleware/auth";
import type {
  deleteFeedbackRoute,
  feedbackStatsRoute,
  listFeedbackRoute,
  sessionFeedbackRoute,
  submitFeedbackRoute,
  updateFeedbackRoute,
} from "./feedback.routes";
import { sessionNotFound } from "./sessions.handlers";

const present = (row: FeedbackRow) => ({
  id: row.id,
  user_id: row.userId,
  session_id: row.sessionId,
  message_id: row.messageId,
  feedback_type: row.feedbackType,
  rating: row.rating,
  comment: row.comment,
  model: row.model,
  metadata: row.metadata,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const feedbackNotFound = () => notFound("Feedback not found", "feedback_not_found");

export const submitFeedback: RouteHandler<typeof submitFeedbackRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const outcome = await insertFeedback(c.var.db(), currentUser(c).user.id, {
    sessionId: body.session_id ?? null,
    messageId: body.message_id ?? null,
    feedbackType: body.feedback_type,
    rating: body.rating ?? null,
    comment: body.comment ?? null,
    model: body.model ?? null,
    metadata: body.metadata ?? {},
  });
  if (outcome.kind === "session_not_found") throw sessionNotFound();
  if (outcome.kind !== "saved") throw notFound("Message not found", "message_not_found");
  return c.json(
    { success: true as const, data: present(outcome.feedback), message: "Feedback submitted successfully" },
    200,
  );
};

export const listFeedback: RouteHandler<typeof listFeedbackRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const { feedback, total } = await readFeedback(
    c.var.db(),
    currentUser(c).user.id,
    { feedbackType: query.feedback_type, sessionId: query.session_id, model: query.model },
    query,
  );
  return c.json(
    {
      success: true as const,
      data: feedback.map(present),
      count: feedback.length,
      total,
      limit: query.limit,
      offset: query.offset,
      message: `Found ${feedback.length} feedback records`,
    },
    200,
  );
};

export const sessionFeedback: RouteHandler<typeof sessionFeedbackRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  const query = c.req.valid("query");
  const userId = currentUser(c).user.id;
  const db = c.var.db();
  if (!(await findSession(db, userId, sessionId))) throw sessionNotFound();
  const { feedback, total } = await readFeedback(
    db,
    userId,
    { feedbackType: query.feedback_type, sessionId, model: query.model },
    query,
  );
  return c.json(
    {
      success: true as const,
      data: feedback.map(present),
      count: feedback.length,
      total,
      limit: query.limit,
      offset: query.offset,
      message: `Found ${feedback.length} feedback records for session ${sessionId}`,
    },
    200,
  );
};

export const getFeedbackStats: RouteHandler<typeof feedbackStatsRoute, AppEnv> = async (c) => {
  const { days, model } = c.req.valid("query");
  const stats = await feedbackStats(c.var.db(), currentUser(c).user.id, days, model);
  return c.json(
    {
      success: true as const,
      stats: {
        total_feedback: stats.total,
        thumbs_up: stats.thumbsUp,
        thumbs_down: stats.thumbsDown,
        regenerate: stats.regenerate,
        thumbs_up_rate: percentOf(stats.thumbsUp, stats.total),
        thumbs_down_rate: percentOf(stats.thumbsDown, stats.total),
        average_rating: stats.averageRating,
        by_model: stats.byModel,
        period_days: days,
      },
      message: "Feedback statistics retrieved successfully",
    },
    200,
  );
};

export const updateFeedback: RouteHandler<typeof updateFeedbackRoute, AppEnv> = async (c) => {
  const { feedback_id: feedbackId } = c.req.valid("param");
  const body = c.req.valid("json");
  const updated = await changeFeedback(c.var.db(), currentUser(c).user.id, feedbackId, {
    feedbackType: body.feedback_type,
    rating: body.rating,
    comment: body.comment,
  });
  if (!updated) throw feedbackNotFound();
  return c.json({ success: true as const, data: present(updated), message: "Feedback updated successfully" }, 200);
};

export const deleteFeedback: RouteHandler<typeof deleteFeedbackRoute, AppEnv> = async (c) => {
  const { feedback_id: feedbackId } = c.req.valid("param");
  if (!(await removeFeedback(c.var.db(), currentUser(c).user.id, feedbackId))) throw feedbackNotFound();
  return c.json({ success: true as const, message: "Feedback deleted successfully" }, 200);
};
