// Fix suggestions (error_fix_suggestions) and the system account their model calls are billed to.
import { sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";
import type { errorCategories, errorSeverities } from "./schema";

type Category = (typeof errorCategories)[number];
type Severity = (typeof errorSeverities)[number];

const ACCOUNT_KEY = "error_monitor_account";
const ACCOUNT_USERNAME = "system-error-monitor";

/**
 * The system account's user id, created on first use. Its id is kept in operation_settings and never
 * looked up by name or email: an account someone registered under that name can never be mistaken
 * for it (and funded). Serialised by an advisory lock, so concurrent first uses create one account.
 */
export async function ensureSystemAccount(db: Database): Promise<number> {
  const [known] = await queryRows(
    db,
    sql`select (value->>'user_id')::int as id from operation_settings where key = ${ACCOUNT_KEY}`,
  );
  if (known?.id !== null && known?.id !== undefined) return Number(known.id);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('error-monitor-account'))`);
    const again = await tx.execute(
      sql`select (value->>'user_id')::int as id from operation_settings where key = ${ACCOUNT_KEY}`,
    );
    const existing = again.rows[0]?.id;
    if (existing !== null && existing !== undefined) return Number(existing);
    // A taken username (someone registered it) gets a random suffix; the email cannot receive mail.
    const suffix = crypto.randomUUID().slice(0, 8);
    const created = await tx.execute(sql`
      insert into users (username, email, role, auth_method, subscription_status, tier, purchased_credits)
      select case when exists (select 1 from users where lower(username) = ${ACCOUNT_USERNAME})
                  then ${`${ACCOUNT_USERNAME}-${suffix}`} else ${ACCOUNT_USERNAME} end,
             ${`${ACCOUNT_USERNAME}+${suffix}@system.invalid`}, 'user', 'email', 'bot', 'basic', 0
      returning id`);
    const userId = Number(created.rows[0]?.id);
    await tx.execute(sql`
      insert into operation_settings (key, value) values (${ACCOUNT_KEY}, ${JSON.stringify({ user_id: userId })}::jsonb)`);
    return userId;
  });
}

/**
 * Funds the system account when its balance is below `floor`: one statement that locks the user,
 * raises purchased credits to `target` and writes the `transfer` ledger row (created_by
 * system:error-monitor). Returns the amount added ("0" when none was needed).
 */
export async function topUpSystemAccount(
  db: AnyDatabase,
  userId: number,
  floor: string,
  target: string,
): Promise<string> {
  const [row] = await queryRows(
    db,
    sql`
    with locked as (
      select id, subscription_allowance + purchased_credits as balance from users where id = ${userId} for update
    ),
    funded as (
      update users u set purchased_credits = u.purchased_credits + (${target}::numeric - l.balance), updated_at = now()
      from locked l where u.id = l.id and l.balance < ${floor}::numeric
      returning l.balance as before
    ),
    ledger as (
      insert into credit_transactions (user_id, amount, type, balance_before, balance_after, description, metadata, created_by)
      select ${userId}, ${target}::numeric - before, 'transfer', before, ${target}::numeric,
             'Error monitor budget: the operator funds the fix-suggestion model calls',
             ${JSON.stringify({ reason: "error_monitor_budget" })}::jsonb, 'system:error-monitor'
      from funded
      returning amount
    )
    select coalesce((select amount from ledger), 0)::text as added`,
  );
  return String(row?.added ?? "0");
}

/** The exact cost of the given requests, from the request log (after their settlement). */
export async function costOfRequests(db: AnyDatabase, requestIds: readonly string[]): Promise<string> {
  if (requestIds.length === 0) return "0";
  const ids = sql`array[${sql.join(
    requestIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  const [row] = await queryRows(
    db,
    sql`select coalesce(sum(cost_usd), 0)::text as cost from chat_completion_requests where request_id = any(${ids})`,
  );
  return String(row?.cost ?? "0");
}

export interface FixRecord {
  id: number;
  fingerprint: string;
  category: Category;
  severity: Severity;
  model: string;
  analysis: string;
  proposedFix: string;
  codeChanges: Record<string, string>;
  filesAffected: string[];
  status: string;
  prUrl: string | null;
  requestIds: string[];
  costUsd: string;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The pattern's latest message (joined from error_events), when it is still stored. */
  errorMessage: string | null;
}

export type NewFix = Omit<FixRecord, "id" | "createdAt" | "updatedAt" | "errorMessage" | "prUrl" | "error">;

const columns = sql`f.id, f.fingerprint, f.category, f.severity, f.model, f.analysis, f.proposed_fix, f.code_changes,
  f.files_affected, f.status, f.pr_url, f.request_ids, f.cost_usd::text as cost_usd, f.error, f.created_at, f.updated_at,
  (select e.message from error_events e where e.fingerprint = f.fingerprint order by e.id desc limit 1) as error_message`;

const parseJson = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

function fixOf(row: Record<string, unknown>): FixRecord {
  const changes = parseJson(row.code_changes);
  return {
    id: Number(row.id),
    fingerprint: String(row.fingerprint),
    category: String(row.category) as Category,
    severity: String(row.severity) as Severity,
    model: String(row.model),
    analysis: String(row.analysis ?? ""),
    proposedFix: String(row.proposed_fix ?? ""),
    codeChanges:
      typeof changes === "object" && changes !== null
        ? Object.fromEntries(Object.entries(changes).map(([path, code]) => [path, String(code)]))
        : {},
    filesAffected: Array.isArray(row.files_affected) ? row.files_affected.map(String) : [],
    status: String(row.status),
    prUrl: row.pr_url === null || row.pr_url === undefined ? null : String(row.pr_url),
    requestIds: Array.isArray(row.request_ids) ? row.request_ids.map(String) : [],
    costUsd: String(row.cost_usd ?? "0"),
    error: row.error === null || row.error === undefined ? null : String(row.error),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
    updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(String(row.updated_at)),
    errorMessage: row.error_message === null || row.error_message === undefined ? null : String(row.error_message),
  };
}

const textArray = (values: readonly string[]) =>
  values.length === 0
    ? sql`'{}'::text[]`
    : sql`array[${sql.join(
        values.map((value) => sql`${value}`),
        sql`, `,
      )}]::text[]`;

export async function insertFix(db: AnyDatabase, fix: NewFix): Promise<FixRecord> {
  const [row] = await queryRows(
    db,
    sql`
    with f as (
      insert into error_fix_suggestions (fingerprint, category, severity, model, analysis, proposed_fix, code_changes,
        files_affected, status, request_ids, cost_usd)
      values (${fix.fingerprint}, ${fix.category}, ${fix.severity}, ${fix.model}, ${fix.analysis}, ${fix.proposedFix},
        ${JSON.stringify(fix.codeChanges)}::jsonb, ${textArray(fix.filesAffected)}, ${fix.status},
        ${textArray(fix.requestIds)}, ${fix.costUsd}::numeric)
      returning *
    )
    select ${columns} from f`,
  );
  if (!row) throw new Error("inserting the fix suggestion returned no row");
  return fixOf(row);
}

export async function updateFixPullRequest(
  db: AnyDatabase,
  id: number,
  outcome: { status: "pr_opened" | "pr_failed"; prUrl: string | null; error: string | null },
): Promise<void> {
  await queryRows(
    db,
    sql`update error_fix_suggestions set status = ${outcome.status}, pr_url = ${outcome.prUrl}, error = ${outcome.error},
        updated_at = now() where id = ${id}`,
  );
}

export async function findFix(db: AnyDatabase, id: number): Promise<FixRecord | undefined> {
  const [row] = await queryRows(db, sql`select ${columns} from error_fix_suggestions f where f.id = ${id}`);
  return row ? fixOf(row) : undefined;
}

/** Newest first, with the exact total. */
export async function listFixes(
  db: AnyDatabase,
  filter: { fingerprint?: string; status?: string },
  page: { limit: number; offset: number },
): Promise<{ rows: FixRecord[]; total: number }> {
  const conditions = [sql`true`];
  if (filter.fingerprint) conditions.push(sql`f.fingerprint = ${filter.fingerprint}`);
  if (filter.status) conditions.push(sql`f.status = ${filter.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, [count]] = await Promise.all([
    queryRows(
      db,
      sql`select ${columns} from error_fix_suggestions f where ${where}
      order by f.created_at desc, f.id desc limit ${page.limit} offset ${page.offset}`,
    ),
    queryRows(db, sql`select count(*)::int as n from error_fix_suggestions f where ${where}`),
  ]);
  return { rows: rows.map(fixOf), total: Number(count?.n ?? 0) };
}

/** Fingerprints that got a suggestion since `since` (auto-fix does not bill the same pattern twice). */
export async function fingerprintsFixedSince(db: AnyDatabase, since: Date): Promise<Set<string>> {
  const rows = await queryRows(
    db,
    sql`select distinct fingerprint from error_fix_suggestions where created_at >= ${since.toISOString()}::timestamptz`,
  );
  return new Set(rows.map((row) => String(row.fingerprint)));
}

export async function latestFixAt(db: AnyDatabase): Promise<Date | null> {
  const [row] = await queryRows(db, sql`select max(created_at) as at from error_fix_suggestions`);
  const at = row?.at;
  return at === null || at === undefined ? null : at instanceof Date ? at : new Date(String(at));
}
