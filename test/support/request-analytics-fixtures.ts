// Request-log rows for the request-analytics tests, written through the real settlement statement
// (then dated where a test needs a known time). Names are unique per call: the database is shared.
import { sql } from "drizzle-orm";
import { type InferenceRecord, settleInference } from "../../src/db/inference";
import { createKey, execute, registerAccount, type TestAccount, uniqueName, withDatabase } from "./accounts";
import { inferenceRecord } from "./inference-records";

export interface CatalogProvider {
  id: number;
  slug: string;
  name: string;
}

export async function catalogProvider(slug: string): Promise<CatalogProvider> {
  const name = `${slug} Provider`;
  const [row] = await execute(sql`insert into providers (slug, name) values (${slug}, ${name}) returning id`);
  return { id: Number(row?.id), slug, name };
}

export async function catalogModel(provider: CatalogProvider, upstream: string, name: string): Promise<number> {
  const [row] = await execute(sql`
    insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion)
    values (${provider.id}, ${upstream}, ${name}, '0.000001', '0.000002') returning id`);
  return Number(row?.id);
}

export type RowSpec = Partial<InferenceRecord> & {
  cost?: string;
  /** Dated this many minutes ago (else: now). */
  minutesAgo?: number;
};

/** Settles one request row and returns its request id. */
export async function logRequest(spec: RowSpec & { userId: number | null }): Promise<string> {
  const requestId = `ra-${crypto.randomUUID()}`;
  const { minutesAgo, cost, userId, ...fields } = spec;
  const record = { ...inferenceRecord(userId ?? 0, requestId, cost ?? "0"), ...fields, userId };
  const settled = await withDatabase((db) => settleInference(db, record));
  if (!settled.logged) throw new Error(`request ${requestId} was not logged`);
  if (minutesAgo !== undefined) {
    await execute(sql`update chat_completion_requests set created_at = now() - make_interval(mins => ${minutesAgo})
      where request_id = ${requestId}`);
  }
  return requestId;
}

export interface Scenario {
  marker: string;
  alice: TestAccount;
  aliceKey2: { id: number; apiKey: string };
  bob: TestAccount;
  p1: CatalogProvider;
  modelA: number;
  modelB: number;
  p2: CatalogProvider;
  p2Models: number[];
  ghost: string;
  /** Alice's rows, oldest first (row 1 … row 6). */
  aliceRows: string[];
}

/**
 * Alice: six rows at 55, 50, 40, 30, 20 and 10 minutes ago on provider p1 (models A, B and one not in
 * the catalog). Bob: model A two days ago, three p2 models with two requests each, one provider the
 * catalog does not know.
 */
export async function buildScenario(): Promise<Scenario> {
  const marker = uniqueName("ra");
  const [alice, bob] = await Promise.all([registerAccount(), registerAccount()]);
  const aliceKey2 = await createKey(alice);
  const p1 = await catalogProvider(`${marker}-p1`);
  const p2 = await catalogProvider(`${marker}-p2`);
  const modelA = await catalogModel(p1, "alpha-model", `${marker} Alpha`);
  const modelB = await catalogModel(p1, "beta-model", `${marker} Beta`);
  const p2Models = [
    await catalogModel(p2, "x-model", `${marker} X`),
    await catalogModel(p2, "y-model", `${marker} Y`),
    await catalogModel(p2, "z-model", `${marker} Z`),
  ];
  const onA = {
    provider: p1.slug,
    upstreamModel: "alpha-model",
    modelId: modelA,
    requestedModel: `${p1.slug}/alpha-model`,
  };
  const onB = {
    provider: p1.slug,
    upstreamModel: "beta-model",
    modelId: modelB,
    requestedModel: `${p1.slug}/beta-model`,
  };
  const aliceSpecs: RowSpec[] = [
    { ...onA, apiKeyId: alice.apiKeyId, promptTokens: 100, completionTokens: 50, cost: "0.001", latencyMs: 1000 },
    { ...onA, apiKeyId: alice.apiKeyId, promptTokens: 200, completionTokens: 100, cost: "0.0025", latencyMs: 3000 },
    {
      ...onA,
      apiKeyId: aliceKey2.id,
      status: "failed",
      httpStatus: 502,
      errorMessage: "upstream failed",
      promptTokens: 10,
      completionTokens: 0,
      latencyMs: 500,
    },
    { ...onB, apiKeyId: alice.apiKeyId, promptTokens: 40, completionTokens: 20, cost: "0.000333333", latencyMs: 2000 },
    {
      provider: p1.slug,
      upstreamModel: "mystery-model",
      modelId: null,
      requestedModel: `${p1.slug}/mystery-model`,
      apiKeyId: aliceKey2.id,
      priced: false,
      promptTokens: 5,
      completionTokens: 5,
      latencyMs: 100,
    },
    { ...onA, apiKeyId: null, promptTokens: 1, completionTokens: 1, cost: "0.000000001", latencyMs: 10 },
  ];
  const minutes = [55, 50, 40, 30, 20, 10];
  const aliceRows: string[] = [];
  for (const [index, spec] of aliceSpecs.entries()) {
    aliceRows.push(await logRequest({ ...spec, userId: alice.userId, minutesAgo: minutes[index] }));
  }
  const ghost = `${marker}-ghost`;
  const bobSpecs: RowSpec[] = [
    {
      ...onA,
      apiKeyId: bob.apiKeyId,
      promptTokens: 1000,
      completionTokens: 0,
      latencyMs: 1000,
      minutesAgo: 2 * 24 * 60,
    },
    ...p2Models.flatMap((modelId, index) =>
      [0, 1].map(() => ({
        provider: p2.slug,
        upstreamModel: `${"xyz"[index]}-model`,
        modelId,
        requestedModel: `${p2.slug}/${"xyz"[index]}-model`,
        apiKeyId: bob.apiKeyId,
        latencyMs: 100,
      })),
    ),
    { provider: ghost, upstreamModel: "ghost-model", requestedModel: `${ghost}/ghost-model`, apiKeyId: bob.apiKeyId },
  ];
  for (const spec of bobSpecs) await logRequest({ ...spec, userId: bob.userId });
  return { marker, alice, aliceKey2, bob, p1, modelA, modelB, p2, p2Models, ghost, aliceRows };
}
