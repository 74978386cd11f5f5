import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class ConcurrencyGate extends DurableObject<Env> {}
