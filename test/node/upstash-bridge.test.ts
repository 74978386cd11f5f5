// The Upstash REST bridge, driven by the real @upstash/redis and @upstash/ratelimit clients, over real
// Redis (TEST_REDIS_URL) and over the embedded in-memory store.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashBridge, type UpstashBridge } from "../../scripts/local-stack/upstash-bridge";

const realRedisUrl = process.env.TEST_REDIS_URL || undefined;
if (!realRedisUrl) console.warn("TEST_REDIS_URL not set: the real-Redis cases of the Upstash bridge are skipped");

const backends = [
  { name: "real Redis", redisUrl: realRedisUrl, skip: !realRedisUrl },
  { name: "embedded store", redisUrl: undefined, skip: false },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`Upstash bridge over ${backend.name}`, () => {
    let bridge: UpstashBridge;
    let redis: Redis;
    const prefix = `bridge-test:${Date.now()}:${Math.random().toString(36).slice(2)}`;

    beforeAll(async () => {
      bridge = await startUpstashBridge({ redisUrl: backend.redisUrl, token: "bridge-test-token" });
      redis = new Redis({ url: bridge.url, token: bridge.token, enableAutoPipelining: false });
    });
    afterAll(() => bridge.stop());

    it("runs single commands, with base64 response encoding round-tripping unicode", async () => {
      expect(await redis.set(`${prefix}:k`, "héllo ✓")).toBe("OK");
      expect(await redis.get(`${prefix}:k`)).toBe("héllo ✓");
      expect(await redis.incr(`${prefix}:n`)).toBe(1);
      expect(await redis.incrby(`${prefix}:n`, 4)).toBe(5);
      expect(await redis.get(`${prefix}:missing`)).toBeNull();
    });

    it("runs pipelines and MULTI/EXEC transactions", async () => {
      const pipeline = redis.pipeline();
      pipeline.set(`${prefix}:p`, "1");
      pipeline.incr(`${prefix}:p`);
      pipeline.get(`${prefix}:p`);
      expect(await pipeline.exec()).toEqual(["OK", 2, 2]);
      const transaction = redis.multi();
      transaction.set(`${prefix}:m`, "x");
      transaction.get(`${prefix}:m`);
      expect(await transaction.exec()).toEqual(["OK", "x"]);
    });

    it("answers HGETALL as Upstash does, alone and in a pipeline", async () => {
      await redis.hset(`${prefix}:h`, { a: "1", b: "two" });
      expect(await redis.hgetall(`${prefix}:h`)).toEqual({ a: 1, b: "two" });
      const pipeline = redis.pipeline();
      pipeline.hincrby(`${prefix}:h`, "a", 2);
      pipeline.hgetall(`${prefix}:h`);
      expect(await pipeline.exec()).toEqual([3, { a: 3, b: "two" }]);
    });

    it("reports a failing command as an error, not a result", async () => {
      const response = await fetch(bridge.url, {
        method: "POST",
        headers: { authorization: `Bearer ${bridge.token}` },
        body: JSON.stringify(["NOSUCHCOMMAND", "x"]),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error?: string; result?: unknown };
      expect(body.error).toMatch(/unknown command/i);
      expect(body).not.toHaveProperty("result");
      await expect(redis.eval("return redis.call('NOSUCHCOMMAND')", [], [])).rejects.toThrow();
    });

    it("refuses a wrong token with 401", async () => {
      const intruder = new Redis({ url: bridge.url, token: "wrong-token", enableAutoPipelining: false });
      await expect(intruder.get(`${prefix}:k`)).rejects.toThrow(/Unauthorized/);
      const response = await fetch(bridge.url, { method: "POST", body: JSON.stringify(["PING"]) });
      expect(response.status).toBe(401);
    });

    it("runs @upstash/ratelimit's Lua scripts (the allow-key-locking flag stripped), EVALSHA included", async () => {
      const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, "1 h"), prefix: `${prefix}:rl` });
      const outcomes: boolean[] = [];
      // Hour-long windows: a short one could straddle a window boundary and let a 4th call through.
      // Five calls: the first loads the script (EVAL), later ones reuse it by the client's SHA (EVALSHA).
      for (let attempt = 0; attempt < 5; attempt++) outcomes.push((await limiter.limit("client-a")).success);
      expect(outcomes).toEqual([true, true, true, false, false]);
      expect((await limiter.limit("client-b")).success).toBe(true);

      const fixed = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(1, "1 h"), prefix: `${prefix}:fw` });
      expect((await fixed.limit("x")).success).toBe(true);
      const second = await fixed.limit("x");
      expect(second.success).toBe(false);
      expect(second.remaining).toBe(0);
    });
  });
}

describe.skipIf(!realRedisUrl)("why the bridge strips the flag", () => {
  it("real Redis itself rejects a script with Upstash's allow-key-locking flag", async () => {
    const client = new IORedis(realRedisUrl ?? "");
    try {
      await expect(client.eval("#!lua flags=allow-key-locking\nreturn 1", 0)).rejects.toThrow(/allow-key-locking/);
    } finally {
      client.disconnect();
    }
  });
});
