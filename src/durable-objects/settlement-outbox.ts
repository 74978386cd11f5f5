import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class SettlementOutbox extends DurableObject<Env> {}
