import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { createImages, type ImagesBody } from "../../gateway/non-chat/images";
import { inferenceContext } from "../chat/chat.handlers";

export async function imagesHandler(c: Context<AppEnv>, body: ImagesBody) {
  return c.json(await createImages(body, await inferenceContext(c)), 200);
}
