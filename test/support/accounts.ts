// Creating users and keys for tests: through the real API where one exists, SQL only to reach states
// no endpoint of this issue produces (an expired trial, an admin, a disabled account).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, openDatabase } from "../../src/db/client";
import { readConfig } from "../../src/env";
import { call } from "./gateway";

export interface TestAccount {
  userId: number;
  username: string;
  email: string;
  apiKey: string;
  apiKeyId: number;
}

let counter = 0;
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${counter}_${Math.random().toString(36).slice(2, 6)}`;
}

export async function registerAccount(overrides: { username?: string; email?: string } = {}): Promise<TestAccount> {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email ?? `${username}@example.com`;
  const response = await call("/auth/register", { method: "POST", json: { username, email } });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user_id: number; api_key: string; api_key_id: number; email: string };
  return { userId: body.user_id, username, email: body.email, apiKey: body.api_key, apiKeyId: body.api_key_id };
}

export async function createKey(
  account: TestAccount,
  options: Record<string, unknown> = {},
): Promise<{ id: number; apiKey: string }> {
  const response = await call("/user/api-keys", {
    method: "POST",
    key: account.apiKey,
    json: { name: "test key", ...options },
  });
  if (response.status !== 201) throw new Error(`key creation failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: number; api_key: string };
  return { id: body.id, apiKey: body.api_key };
}

/** Runs `work` with a database handle of its own (the Worker's client, the test run's database). */
export async function withDatabase<T>(work: (db: DatabaseHandle["db"]) => Promise<T>): Promise<T> {
  const handle = openDatabase(readConfig(env));
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export async function execute(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  return withDatabase(async (db) => (await db.execute(query)).rows as Record<string, unknown>[]);
}

export async function makeAdmin(userId: number, how: "role" | "is_admin" = "role"): Promise<void> {
  if (how === "role") await execute(sql`update users set role = 'admin' where id = ${userId}`);
  else await execute(sql`update users set is_admin = true where id = ${userId}`);
}
