import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { createEmbeddings, type EmbeddingsBody } from "../../gateway/non-chat/embeddings";
import { inferenceContext } from "../chat/chat.handlers";

export async function embeddingsHandler(c: Context<AppEnv>, body: EmbeddingsBody) {
  return c.json(await createEmbeddings(body, await inferenceContext(c)), 200);
}
