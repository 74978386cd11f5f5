// Dev seed: an admin and a demo user with credits, with keys that stay the same across restarts
// (kept in a git-ignored file next to the dev database).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "../../src/db/schema";
import { registerUser } from "../../src/db/users";
import { generateApiKey, keyDisplayPrefix, sha256Hex } from "../../src/lib/crypto";
import { withPool } from "./migrate";

export interface DevKeys {
  adminApiKey: string;
  adminUserKey: string;
  demoUserKey: string;
}

function loadOrCreateKeys(path: string): DevKeys {
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as DevKeys;
  const keys: DevKeys = {
    adminApiKey: `gw_admin_${generateApiKey().key.slice(8)}`,
    adminUserKey: generateApiKey().key,
    demoUserKey: generateApiKey().key,
  };
  writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** The dev stub's model, priced ($1 / $2 per million tokens) so billing can be watched locally. */
export const STUB_MODEL = "stub-model";

export async function seedDevData(databaseUrl: string, keysFile: string): Promise<DevKeys> {
  const keys = loadOrCreateKeys(keysFile);
  await withPool(databaseUrl, async (pool) => {
    const db = drizzle({ client: pool, schema });
    await db.execute(
      sql`insert into providers (slug, name) values ('stub', 'Local stub') on conflict (slug) do nothing`,
    );
    await db.execute(sql`
      insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion)
      select id, ${STUB_MODEL}, 'Local stub model', 0.000001, 0.000002 from providers where slug = 'stub'
      on conflict (provider_id, provider_model_id) do nothing`);
    const accounts = [
      { username: "admin", email: "admin@localhost.dev", key: keys.adminUserKey, admin: true },
      { username: "demo", email: "demo@localhost.dev", key: keys.demoUserKey, admin: false },
    ];
    for (const account of accounts) {
      const existing = await db.execute(sql`select id from users where email = ${account.email}`);
      if (existing.rows.length > 0) continue;
      const { userId } = await registerUser(db, {
        username: account.username,
        email: account.email,
        subscriptionStatus: "trial",
        authMethod: "email",
        trialExpiresAt: new Date(Date.now() + 3650 * 24 * 3600 * 1000),
        signupCredits: "5.000000000",
        keyHash: await sha256Hex(account.key),
        keyPrefix: keyDisplayPrefix(account.key),
        keyName: "Dev key",
        environmentTag: "live",
        referralCode: null,
        clientIp: null,
      });
      await db.execute(
        sql`update users set subscription_status = 'active', role = ${account.admin ? "admin" : "user"}, is_admin = ${account.admin} where id = ${userId}`,
      );
    }
  });
  return keys;
}
