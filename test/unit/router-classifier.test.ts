import { describe, expect, it } from "vitest";
import { classifyPrompt } from "../../src/gateway/router-classifier";
import {
  decideRoute,
  parseRouterModel,
  routerModelId,
  type TierModels,
  targetTier,
  tierOrder,
} from "../../src/gateway/router-decision";
import { ApiError } from "../../src/lib/errors";

const stackTraceBug = `My Express server crashes when I call GET /users. Here's the error:
\`\`\`
TypeError: Cannot read properties of undefined (reading 'map')
    at getUsers (/app/src/routes/users.js:14:22)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
\`\`\`
How do I fix it?`;

const greeting = "Hi there! How are you?";

const architecture =
  "How should I design the architecture for a multi-tenant SaaS platform with microservices? We need high availability, and I'm worried about data consistency across services and the trade-offs of event-driven messaging versus synchronous REST calls.";

const agentic = `Go through the repository and replace every call to the deprecated fetchUser API with the new UserClient.
1. Find all call sites in the codebase.
2. Update the imports and the call signatures.
3. Update the unit tests that mock fetchUser.
4. Run the tests until they pass, then open a pull request.`;

const longReasoning = `A bag contains 5 red, 7 blue and 8 green marbles. Marbles are drawn one at a time without replacement until two marbles of the same colour have been drawn consecutively. ${"Consider every possible ordering of the draws carefully, and keep track of which colours remain after each draw, because the probability of the stopping condition changes as the bag empties. ".repeat(10)}Calculate the probability that the process stops on the third draw, and prove that your answer is correct, explaining why each case is counted exactly once.`;

const simpleCode = "Write a Python function that reverses a string.";

const tiers = (table: Record<number, string[]>, inactive: number[] = []): TierModels[] =>
  Object.entries(table).map(([tier, models]) => ({
    tier: Number(tier),
    models,
    isActive: !inactive.includes(Number(tier)),
  }));

describe("router classifier", () => {
  it("reads a bug report with a stack trace as debugging worth a good model", () => {
    const result = classifyPrompt({ prompt: stackTraceBug });
    expect(result.category).toBe("debugging");
    expect(result.complexity).toBe("medium");
    expect(result.defaultTier).toBe(2);
    expect(result.signals).toContain("stack_trace");
    expect(result.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it("sends a greeting to the budget tier", () => {
    const result = classifyPrompt({ prompt: greeting });
    expect(result).toMatchObject({ category: "general_chat", complexity: "low", defaultTier: 4, minTier: 4 });
    expect(result.signals).toEqual(["greeting"]);
  });

  it("reads a system design question as architecture for the premium tier", () => {
    const result = classifyPrompt({ prompt: architecture });
    expect(result.category).toBe("architecture");
    expect(result.complexity).not.toBe("low");
    expect(result.defaultTier).toBe(1);
    expect(result.minTier).toBe(2);
  });

  it("reads a multi-step repository task as agentic and high complexity", () => {
    const result = classifyPrompt({ prompt: agentic });
    expect(result).toMatchObject({ category: "agentic", complexity: "high", defaultTier: 1 });
    expect(result.signals).toEqual(expect.arrayContaining(["agentic_phrases", "multi_step_code_task"]));
  });

  it("reads a long probability question as high-complexity reasoning", () => {
    expect(longReasoning.length).toBeGreaterThan(1200);
    const result = classifyPrompt({ prompt: longReasoning });
    expect(result).toMatchObject({ category: "reasoning", complexity: "high", defaultTier: 1, minTier: 3 });
  });

  it("keeps a small code request cheap", () => {
    const result = classifyPrompt({ prompt: simpleCode });
    expect(result).toMatchObject({ category: "code_generation", complexity: "low", defaultTier: 3 });
  });

  it("tells creative writing, reviews and refactors apart", () => {
    expect(classifyPrompt({ prompt: "Write a haiku about autumn leaves" }).category).toBe("creative");
    expect(classifyPrompt({ prompt: "Can you review this code?\n```js\nconst a = 1\n```" }).category).toBe(
      "code_review",
    );
    expect(
      classifyPrompt({ prompt: "Refactor this into smaller functions:\n```py\ndef f(): pass\n```" }).category,
    ).toBe("refactoring");
  });

  it("counts tools and the system prompt, and falls back to general chat at 0.5 confidence", () => {
    expect(classifyPrompt({ prompt: "Look up the weather in Paris", hasTools: true }).category).toBe("agentic");
    const withSystem = classifyPrompt({ prompt: "What does this do?", system: "You review TypeScript code." });
    expect(withSystem.signals).toContain("system:language");
    const nothing = classifyPrompt({ prompt: "Tell me about Paris" });
    expect(nothing).toMatchObject({ category: "general_chat", confidence: 0.5 });
  });

  it("reads a huge or pathological prompt quickly, and still counts its whole length", () => {
    const started = Date.now();
    const huge = classifyPrompt({ prompt: `  at ${"a(".repeat(150_000)}\n${"Tell me more. ".repeat(20_000)}` });
    expect(Date.now() - started).toBeLessThan(500);
    // Length alone (≥300, ≥1200, ≥4000 characters) makes it high.
    expect(huge.complexity).toBe("high");
  });

  it("is deterministic and keeps confidence within 0.5-0.95", () => {
    for (const prompt of [stackTraceBug, greeting, architecture, agentic, longReasoning, simpleCode]) {
      const first = classifyPrompt({ prompt });
      expect(classifyPrompt({ prompt })).toEqual(first);
      expect(first.confidence).toBeGreaterThanOrEqual(0.5);
      expect(first.confidence).toBeLessThanOrEqual(0.95);
    }
  });
});

describe("router decisions", () => {
  const debugging = classifyPrompt({ prompt: stackTraceBug }); // default tier 2, min tier 3

  it("maps each mode to a tier", () => {
    expect(targetTier(debugging, "balanced")).toBe(2);
    expect(targetTier(debugging, "price")).toBe(3);
    expect(targetTier(debugging, "quality")).toBe(1);
    expect(targetTier(debugging, "agentic")).toBe(1);
    const chat = classifyPrompt({ prompt: greeting }); // 4, floor 4
    expect(targetTier(chat, "price")).toBe(4);
    expect(targetTier(chat, "quality")).toBe(3);
  });

  it("orders candidates: the target tier, better tiers, then cheaper ones down to the min tier", () => {
    expect(tierOrder(2, 3)).toEqual([2, 1, 3]);
    expect(tierOrder(3, 4)).toEqual([3, 2, 1, 4]);
    expect(tierOrder(1, 2)).toEqual([1, 2]);
    const decision = decideRoute({ id: "router:code:price", router: "code", mode: "price" }, debugging, () =>
      tiers({ 1: ["p/one"], 2: ["p/two", "p/shared"], 3: ["p/three", "p/shared"], 4: ["p/four"] }, [2]),
    );
    expect(decision.tier).toBe(3);
    // Tier 2 is inactive; tier 4 is past the min tier; p/shared appears once.
    expect(decision.candidates).toEqual([
      { model: "p/three", tier: 3 },
      { model: "p/shared", tier: 3 },
      { model: "p/one", tier: 1 },
    ]);
  });

  it("lets router:auto pick the code tiers for code and the general tiers otherwise", () => {
    const tables = (table: "code" | "general") =>
      tiers({ 1: [`${table}/a`], 2: [`${table}/b`], 3: [`${table}/c`], 4: [`${table}/d`] });
    const auto = { id: "router:auto", router: "auto" as const, mode: "balanced" as const };
    expect(decideRoute(auto, debugging, tables).candidates[0]?.model).toBe("code/b");
    expect(decideRoute(auto, classifyPrompt({ prompt: greeting }), tables).candidates[0]?.model).toBe("general/d");
  });

  it("parses router ids and rejects unknown ones with a 400", () => {
    expect(parseRouterModel("openai/gpt-4o")).toBeUndefined();
    expect(parseRouterModel("router:code")).toEqual({ id: "router:code", router: "code", mode: "balanced" });
    expect(parseRouterModel("router:code:balanced")?.mode).toBe("balanced");
    expect(parseRouterModel("router:code:agentic")?.mode).toBe("agentic");
    expect(parseRouterModel("router:general")?.router).toBe("general");
    for (const bad of ["router:", "router:fast", "router:code:cheap", "router:code:price:extra"]) {
      expect(() => parseRouterModel(bad)).toThrow(ApiError);
    }
    expect(routerModelId("code", "balanced")).toBe("router:code");
    expect(routerModelId("code", "quality")).toBe("router:code:quality");
  });
});
