import { requireApiKey } from "../../middleware/auth";
import { createRouter } from "../router";
import * as feedback from "./feedback.handlers";
import * as feedbackRoutes from "./feedback.routes";
import * as messages from "./messages.handlers";
import * as messageRoutes from "./messages.routes";
import * as sessions from "./sessions.handlers";
import * as routes from "./sessions.routes";

const router = createRouter();
const accountKey = requireApiKey({ scope: "account" });
// "/v1/chat/sessions/*" also matches "/v1/chat/sessions" itself.
router.use("/v1/chat/sessions/*", accountKey);
router.use(routes.searchSessionsRoute.path, accountKey);
router.use(routes.chatStatsRoute.path, accountKey);
// "/v1/chat/feedback/*" also matches "/v1/chat/feedback" itself.
router.use("/v1/chat/feedback/*", accountKey);

export const chatSessionRoutes = router
  .openapi(routes.listSessionsRoute, sessions.listSessions)
  .openapi(routes.createSessionRoute, sessions.createSession)
  .openapi(routes.getSessionRoute, sessions.getSession)
  .openapi(routes.updateSessionRoute, sessions.updateSession)
  .openapi(routes.deleteSessionRoute, sessions.deleteSession)
  .openapi(messageRoutes.saveMessageRoute, messages.saveMessage)
  .openapi(messageRoutes.saveMessagesBatchRoute, messages.saveMessagesBatch)
  .openapi(routes.searchSessionsRoute, sessions.searchSessions)
  .openapi(routes.chatStatsRoute, sessions.getChatStats)
  .openapi(feedbackRoutes.submitFeedbackRoute, feedback.submitFeedback)
  .openapi(feedbackRoutes.listFeedbackRoute, feedback.listFeedback)
  .openapi(feedbackRoutes.feedbackStatsRoute, feedback.getFeedbackStats)
  .openapi(feedbackRoutes.sessionFeedbackRoute, feedback.sessionFeedback)
  .openapi(feedbackRoutes.updateFeedbackRoute, feedback.updateFeedback)
  .openapi(feedbackRoutes.deleteFeedbackRoute, feedback.deleteFeedback);
