import type { RouteHandler } from "@hono/zod-openapi";
import { breakerRegistryName } from "../../durable-objects/circuit-breaker";
import type { AppEnv, Env } from "../../env";
import { providerBreaker } from "../../gateway/breakers";
import { notFound, serviceUnavailable } from "../../lib/errors";
import type {
  getBreakerRoute,
  listBreakersRoute,
  resetAllBreakersRoute,
  resetBreakerRoute,
} from "./circuit-breakers.routes";

function breakers(env: Env) {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) throw serviceUnavailable("Circuit breakers are not bound (CIRCUIT_BREAKER)", "breakers_unavailable");
  return { namespace, registry: namespace.getByName(breakerRegistryName) };
}

async function resetAll(env: Env, names: string[]): Promise<string[]> {
  const { namespace } = breakers(env);
  await Promise.all(names.map((name) => namespace.getByName(name).reset(name)));
  return names;
}

export const listBreakers: RouteHandler<typeof listBreakersRoute, AppEnv> = async (c) => {
  const { namespace, registry } = breakers(c.env);
  const names = await registry.names();
  const snapshots = await Promise.all(names.map((name) => namespace.getByName(name).snapshot(name)));
  return c.json({ breakers: snapshots, total: snapshots.length }, 200);
};

export const getBreaker: RouteHandler<typeof getBreakerRoute, AppEnv> = async (c) => {
  const name = providerBreaker(c.req.valid("param").provider);
  return c.json(await breakers(c.env).namespace.getByName(name).snapshot(name), 200);
};

export const resetBreaker: RouteHandler<typeof resetBreakerRoute, AppEnv> = async (c) => {
  const { provider } = c.req.valid("param");
  const { registry } = breakers(c.env);
  const name = providerBreaker(provider);
  if (!(await registry.isRegistered(name)))
    throw notFound(`No circuit breaker for provider '${provider}'`, "breaker_not_found");
  const modelBreakers = (await registry.names()).filter((known) => known.startsWith(`model:${provider}/`));
  const reset = await resetAll(c.env, [name, ...modelBreakers]);
  return c.json({ reset, message: `Reset ${reset.length} breaker(s) of ${provider}` }, 200);
};

export const resetAllBreakers: RouteHandler<typeof resetAllBreakersRoute, AppEnv> = async (c) => {
  const reset = await resetAll(c.env, await breakers(c.env).registry.names());
  return c.json({ reset, message: `Reset ${reset.length} breaker(s)` }, 200);
};
