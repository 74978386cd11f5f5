import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class CircuitBreaker extends DurableObject<Env> {}
