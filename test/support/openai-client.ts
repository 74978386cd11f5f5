// The official `openai` client pointed at the gateway running in this workerd isolate.
import { exports } from "cloudflare:workers";
import OpenAI from "openai";
import { origin } from "./gateway";

export function openAiClient(apiKey: string): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: `${origin}/v1`,
    fetch: (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
    maxRetries: 0,
  });
}
