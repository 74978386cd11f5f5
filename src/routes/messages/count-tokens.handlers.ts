import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { countMessageTokens } from "../../gateway/non-chat/count-tokens";
import { inferenceContext } from "../chat/chat.handlers";

export async function countTokensHandler(c: Context<AppEnv>, body: Record<string, unknown> & { model: string }) {
  const count = await countMessageTokens(body, await inferenceContext(c));
  c.header("x-gateway-token-count", count.kind);
  if (count.reason) c.header("x-gateway-token-count-reason", count.reason);
  return c.json(count.body, 200);
}
