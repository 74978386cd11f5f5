import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { runInference } from "../../gateway/chat-completion";
import { anthropicFormat, anthropicPassThroughFormat } from "../../gateway/messages/anthropic-format";
import { anthropicRequestToChat, MessagesRequestError } from "../../gateway/messages/request-to-chat";
import { badRequest } from "../../lib/errors";
import type { AnthropicMessagesRequest } from "../../providers/anthropic/wire-types";
import { inferenceContext } from "../chat/chat.handlers";

export async function createMessage(c: Context<AppEnv>, body: AnthropicMessagesRequest): Promise<Response> {
  let chatRequest: ReturnType<typeof anthropicRequestToChat>;
  try {
    chatRequest = anthropicRequestToChat(body);
  } catch (error) {
    if (error instanceof MessagesRequestError) throw badRequest(error.message, "unsupported_content");
    throw error;
  }
  return runInference(
    {
      request: chatRequest,
      format: anthropicFormat(body.model, c.var.requestId),
      messagesBody: { ...body },
      passThroughFormat: anthropicPassThroughFormat(body.model),
    },
    await inferenceContext(c),
  );
}
