import { createRouter } from "../router";
import { tokensPerSecond, tokensPerSecondAll } from "./throughput.handlers";
import { tokensPerSecondAllRoute, tokensPerSecondRoute } from "./throughput.routes";

// Public, like the seed's: aggregate throughput only, no user or key data.
export const throughputRoutes = createRouter()
  .openapi(tokensPerSecondRoute, tokensPerSecond)
  .openapi(tokensPerSecondAllRoute, tokensPerSecondAll);
