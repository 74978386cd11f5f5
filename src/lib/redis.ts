// Upstash Redis over REST. The client holds no per-request I/O, so one per URL per isolate is fine.
import { Redis } from "@upstash/redis/cloudflare";
import type { Config } from "../env";

const clients = new Map<string, Redis>();

/** undefined when Upstash is not configured. */
export function redisClient(config: Config): Redis | undefined {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) return undefined;
  const cacheKey = `${url}\n${token}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Redis({ url, token, retry: { retries: 1, backoff: () => 50 }, enableTelemetry: false });
    clients.set(cacheKey, client);
  }
  return client;
}
