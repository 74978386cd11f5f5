import { createRoute, z } from "@hono/zod-openapi";
import { feedbackTypes } from "../../db/schema";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";
import { pageQuery, SessionIdParam } from "./sessions.schemas";

const tags = ["Chat feedback"];

export const FeedbackSchema = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    session_id: z.number().int().nullable(),
    message_id: z.number().int().nullable(),
    feedback_type: z.enum(feedbackTypes),
    rating: z.number().int().nullable(),
    comment: z.string().nullable(),
    model: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("MessageFeedback");

const FeedbackListSchema = z
  .object({
    success: z.literal(true),
    data: z.array(FeedbackSchema),
    count: z.number().int(),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    message: z.string(),
  })
  .openapi("MessageFeedbackList");

const FeedbackResultSchema = z
  .object({ success: z.literal(true), data: FeedbackSchema, message: z.string() })
  .openapi("MessageFeedbackResult");

const FeedbackIdParam = z.object({
  feedback_id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "feedback_id", in: "path" } }),
});

const rating = z.number().int().min(1).max(5);
const comment = z.string().max(2000);

export const submitFeedbackRoute = createRoute({
  method: "post",
  path: "/v1/chat/feedback",
  tags,
  summary: "Rate an answer: thumbs_up, thumbs_down or regenerate, with an optional 1–5 rating",
  description:
    "`session_id` must be one of your active sessions and `message_id` a message of one of your sessions (of that " +
    "session when both are given); otherwise 404.",
  security: userKeySecurity,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              session_id: z.number().int().positive().optional(),
              message_id: z.number().int().positive().optional(),
              feedback_type: z.enum(feedbackTypes),
              rating: rating.optional(),
              comment: comment.optional(),
              model: z.string().min(1).max(200).optional(),
              metadata: z.record(z.string(), z.unknown()).optional(),
            })
            .openapi("NewMessageFeedback"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(FeedbackResultSchema, "Saved"),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

const listQuery = {
  feedback_type: z.enum(feedbackTypes).optional(),
  model: z.string().min(1).max(200).optional(),
  ...pageQuery(50, 100),
};

export const listFeedbackRoute = createRoute({
  method: "get",
  path: "/v1/chat/feedback",
  tags,
  summary: "Your feedback, newest first",
  security: userKeySecurity,
  request: {
    query: z.object({ ...listQuery, session_id: z.coerce.number().int().positive().optional() }),
  },
  responses: {
    200: jsonContent(FeedbackListSchema, "A page of feedback"),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const sessionFeedbackRoute = createRoute({
  method: "get",
  path: "/v1/chat/sessions/{session_id}/feedback",
  tags,
  summary: "Your feedback on one of your sessions",
  security: userKeySecurity,
  request: { params: SessionIdParam, query: z.object(listQuery) },
  responses: {
    200: jsonContent(FeedbackListSchema, "A page of feedback"),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const feedbackStatsRoute = createRoute({
  method: "get",
  path: "/v1/chat/feedback/stats",
  tags,
  summary: "Your feedback since midnight UTC `days` days ago: counts, rates, average rating, by model",
  security: userKeySecurity,
  request: {
    query: z.object({
      days: z.coerce.number().int().min(1).max(365).default(30),
      model: z.string().min(1).max(200).optional(),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          stats: z.object({
            total_feedback: z.number().int(),
            thumbs_up: z.number().int(),
            thumbs_down: z.number().int(),
            regenerate: z.number().int(),
            thumbs_up_rate: z.number().openapi({ description: "% of all feedback, 2 decimals" }),
            thumbs_down_rate: z.number(),
            average_rating: z.number().nullable(),
            by_model: z.record(
              z.string(),
              z.object({
                thumbs_up: z.number().int(),
                thumbs_down: z.number().int(),
                regenerate: z.number().int(),
                total: z.number().int(),
              }),
            ),
            period_days: z.number().int(),
          }),
          message: z.string(),
        })
        .openapi("MessageFeedbackStats"),
      "The statistics",
    ),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const updateFeedbackRoute = createRoute({
  method: "put",
  path: "/v1/chat/feedback/{feedback_id}",
  tags,
  summary: "Change your feedback's type, rating or comment",
  security: userKeySecurity,
  request: {
    params: FeedbackIdParam,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              feedback_type: z.enum(feedbackTypes).optional(),
              rating: rating.nullable().optional(),
              comment: comment.nullable().optional(),
            })
            .openapi("MessageFeedbackUpdate"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(FeedbackResultSchema, "The feedback after the change"),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const deleteFeedbackRoute = createRoute({
  method: "delete",
  path: "/v1/chat/feedback/{feedback_id}",
  tags,
  summary: "Delete your feedback",
  security: userKeySecurity,
  request: { params: FeedbackIdParam },
  responses: {
    200: jsonContent(
      z.object({ success: z.literal(true), message: z.string() }).openapi("MessageFeedbackDeleted"),
      "Deleted",
    ),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});
