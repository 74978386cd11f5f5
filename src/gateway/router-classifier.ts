// The model routers' prompt classifier: deterministic rules over the last user message (and, with
// less weight, the system prompt), no model call. It answers a task category, a complexity, a
// confidence, and the tiers the category wants (seed 001 L7586-7604: default_tier and min_tier).
//
// Category: every rule that matches adds its weight to one category; the highest total wins, ties
// going to the earlier category of `taskCategories`. The system prompt adds at most 1 point to a
// category whose keywords it contains. No match at all: general_chat with confidence 0.5.
// Complexity points: prompt length (≥300, ≥1200, ≥4000 characters: +1 each), code lines (≥20, ≥80:
// +1 each), listed steps (≥3, ≥6: +1 each), distinct hard topics (+1 each, at most 2), a stack trace
// (+1), the category (agentic +2; architecture and debugging +1; reasoning +1 when ≥300 characters).
// ≤1 point is low, 2 medium, ≥3 high; a greeting is always low. Rules read at most the first 16,000
// and last 8,000 characters of the prompt (and 4,000 of the system prompt); the length is the whole.
// Confidence: 0.5 + 0.25 × (winner − runner-up) / winner + 0.05 × min(winner, 4), at most 0.95.

export const taskCategories = [
  "agentic",
  "debugging",
  "architecture",
  "code_review",
  "refactoring",
  "code_generation",
  "reasoning",
  "creative",
  "general_chat",
] as const;
export type TaskCategory = (typeof taskCategories)[number];

export const complexities = ["low", "medium", "high"] as const;
export type Complexity = (typeof complexities)[number];

/** Categories the `code` tier table serves when the router is `router:auto`. */
export const codeCategories: ReadonlySet<TaskCategory> = new Set([
  "agentic",
  "debugging",
  "architecture",
  "code_review",
  "refactoring",
  "code_generation",
]);

export interface ClassifierInput {
  /** The last user message's text. */
  prompt: string;
  system?: string;
  /** The request offers tools (function calling). */
  hasTools?: boolean;
  /** Tool calls or tool results already in the conversation. */
  toolTurns?: number;
}

export interface Classification {
  category: TaskCategory;
  complexity: Complexity;
  confidence: number;
  /** The tier the task wants in balanced mode: 1 premium … 4 budget. */
  defaultTier: number;
  /** The cheapest tier still good enough for the category (price mode never goes past it). */
  minTier: number;
  /** The rules that fired, for /code-router/test and debugging. */
  signals: string[];
}

interface Rule {
  category: TaskCategory;
  name: string;
  weight: number;
  pattern: RegExp;
}

const errorWords =
  /\b(error|exception|bug|crash(es|ed|ing)?|traceback|stack ?trace|segfault|segmentation fault|fails?|failing|broken|doesn'?t work|not working|undefined is not|null ?pointer|fix (this|the|my|it))\b/i;
const languageWords =
  /\b(python|javascript|typescript|rust|golang|java|kotlin|swift|c\+\+|c#|ruby|php|sql|bash|node\.?js|react|django|flask|express)\b/i;

const rules: Rule[] = [
  {
    category: "agentic",
    name: "agentic_phrases",
    weight: 3,
    pattern:
      /\b(autonomously|multi-step|agentic|as an agent|coding agent|across the (code ?base|repo(sitory)?)|(in|through) the (code ?base|repo(sitory)?)|run the tests|until (all )?(the )?tests pass|(open|create) a (pr|pull request)|commit the changes|use the tools?|execute (the )?commands?)\b/i,
  },
  { category: "debugging", name: "error_words", weight: 2, pattern: errorWords },
  {
    category: "architecture",
    name: "architecture_terms",
    weight: 3,
    pattern:
      /\b(architecture|architect|system design|design (a|an|the) (system|service|platform|backend|api|schema|database)|micro-?services?|scalab(le|ility)|distributed systems?|high availability|event[- ]driven|monolith|sharding|load balanc(er|ing)|message queues?|trade-?offs?|cqrs|event sourcing)\b/i,
  },
  {
    category: "code_review",
    name: "review_request",
    weight: 3,
    pattern:
      /\b(code review|review (this|my|the|our) (code|pr|pull request|diff|function|implementation)|what'?s wrong with (this|my) code|is this (code )?(idiomatic|correct|good practice))\b/i,
  },
  {
    category: "refactoring",
    name: "refactor_request",
    weight: 3,
    pattern:
      /\b(refactor(ing)?|clean ?up (this|the|my)|restructure|simplify (this|the|my) (code|function|class|module)|extract (a |the )?(function|method|class|component))\b/i,
  },
  {
    category: "code_generation",
    name: "write_code",
    weight: 2,
    pattern:
      /\b(write|implement|create|build|generate|code)\b.{0,60}\b(function|class|method|script|program|component|endpoint|api|module|query|regex|unit tests?|cli|hook|algorithm)\b/i,
  },
  { category: "code_generation", name: "language", weight: 1, pattern: languageWords },
  {
    category: "reasoning",
    name: "reasoning_terms",
    weight: 2,
    pattern:
      /\b(prove|proof|theorem|lemma|derive|probability|expected value|integral|equation|solve for|puzzle|riddle|logic(al)?|deduce|how many|calculate|compute the)\b/i,
  },
  {
    category: "reasoning",
    name: "think_it_through",
    weight: 1,
    pattern: /\b(step[- ]by[- ]step|think (carefully|it through)|explain why|justify|reason about)\b/i,
  },
  { category: "reasoning", name: "arithmetic", weight: 1, pattern: /\d+\s*[-+*/^=×÷]\s*\d+/ },
  {
    category: "creative",
    name: "creative_form",
    weight: 3,
    pattern:
      /\b(poem|haiku|sonnet|limerick|short story|story|lyrics|song|novel|fiction|screenplay|slogan|tagline|joke)\b/i,
  },
  { category: "creative", name: "imaginative", weight: 1, pattern: /\b(creative|imagine|fantasy|fictional)\b/i },
];

const greeting =
  /^\s*(hi|hello|hey|yo|hiya|good (morning|afternoon|evening)|thanks|thank you|how are you|what'?s up)\b[^\n]{0,40}$/i;
const stackTracePatterns = [
  /Traceback \(most recent call last\)/,
  /^[ \t]+at [^\n]{1,300}:\d+(:\d+)?\)?[ \t]*$/m,
  /File ".+", line \d+/,
  /\b[A-Z]\w*(Error|Exception)\b:/,
  /\bpanic: /,
  /\bsegmentation fault\b/i,
];
const hardTopics = [
  /concurren/i,
  /race condition/i,
  /deadlock/i,
  /memory leak/i,
  /performance|optimi[sz]/i,
  /security|vulnerab/i,
  /production/i,
  /migrat/i,
  /distributed/i,
  /consisten(t|cy)/i,
  /latency|throughput/i,
];

const baseTier: Record<TaskCategory, number> = {
  agentic: 1,
  architecture: 1,
  debugging: 2,
  code_review: 2,
  refactoring: 2,
  code_generation: 2,
  reasoning: 2,
  creative: 3,
  general_chat: 3,
};
const floorTier: Record<TaskCategory, number> = {
  agentic: 2,
  architecture: 2,
  debugging: 3,
  code_review: 3,
  refactoring: 3,
  code_generation: 3,
  reasoning: 3,
  creative: 4,
  general_chat: 4,
};
const complexityShift: Record<Complexity, number> = { low: 1, medium: 0, high: -1 };

function fencedCodeLines(text: string): number {
  let lines = 0;
  for (const block of text.matchAll(/```[^\n]*\n([\s\S]*?)(```|$)/g)) lines += (block[1] ?? "").split("\n").length;
  return lines;
}

function listedSteps(text: string): number {
  return text.split("\n").filter((line) => /^\s*(\d+[.)]|[-*•])\s+\S/.test(line)).length;
}

function complexityOf(
  prompt: string,
  category: TaskCategory,
  features: { length: number; codeLines: number; stackTrace: boolean; greeting: boolean },
  signals: string[],
): Complexity {
  if (features.greeting) return "low";
  const { length } = features;
  const steps = listedSteps(prompt);
  const topics = hardTopics.filter((topic) => topic.test(prompt)).length;
  let points = [300, 1200, 4000].filter((limit) => length >= limit).length;
  points += [20, 80].filter((limit) => features.codeLines >= limit).length;
  points += [3, 6].filter((limit) => steps >= limit).length;
  points += Math.min(topics, 2);
  if (features.stackTrace) points += 1;
  if (category === "agentic") points += 2;
  if (category === "architecture" || category === "debugging") points += 1;
  if (category === "reasoning" && length >= 300) points += 1;
  if (steps >= 3) signals.push(`steps:${steps}`);
  if (topics > 0) signals.push(`hard_topics:${topics}`);
  return points <= 1 ? "low" : points === 2 ? "medium" : "high";
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Long texts are read at their start and end only: the rules' cost stays bounded. */
function sampled(text: string, head: number, tail: number): string {
  if (text.length <= head + tail) return text;
  return tail > 0 ? `${text.slice(0, head)}\n${text.slice(-tail)}` : text.slice(0, head);
}

export function classifyPrompt(input: ClassifierInput): Classification {
  const prompt = sampled(input.prompt, 16_000, 8_000);
  const system = sampled(input.system ?? "", 4_000, 0);
  const scores = new Map<TaskCategory, number>(taskCategories.map((category) => [category, 0]));
  const signals: string[] = [];
  const add = (category: TaskCategory, weight: number, signal: string) => {
    scores.set(category, (scores.get(category) ?? 0) + weight);
    signals.push(signal);
  };

  const codeLines = fencedCodeLines(prompt);
  const fenced = prompt.includes("```");
  const stackTrace = stackTracePatterns.some((pattern) => pattern.test(prompt));
  const isGreeting = greeting.test(prompt) && prompt.length < 60;
  const systemBonus = new Set<TaskCategory>();

  for (const rule of rules) {
    if (rule.pattern.test(prompt)) add(rule.category, rule.weight, rule.name);
    else if (system && rule.pattern.test(system) && !systemBonus.has(rule.category)) {
      systemBonus.add(rule.category);
      add(rule.category, 1, `system:${rule.name}`);
    }
  }
  if (stackTrace) add("debugging", 3, "stack_trace");
  if (fenced) {
    if (errorWords.test(prompt)) add("debugging", 1, "code_with_error");
    else add("code_generation", 1, "code_block");
    // Code to review or refactor strengthens a review/refactor request; it does not make one.
    for (const category of ["code_review", "refactoring"] as const) {
      if ((scores.get(category) ?? 0) >= 3) add(category, 1, `${category}_code_block`);
    }
  }
  if (input.hasTools) add("agentic", 3, "tools_offered");
  if ((input.toolTurns ?? 0) > 0) add("agentic", 2, "tool_turns");
  if (listedSteps(prompt) >= 3 && (fenced || languageWords.test(prompt) || /\b(code|repo|tests?)\b/i.test(prompt))) {
    add("agentic", 2, "multi_step_code_task");
  }
  if (isGreeting) add("general_chat", 3, "greeting");

  const ranked = taskCategories
    .map((category, order) => ({ category, order, score: scores.get(category) ?? 0 }))
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const [first, second] = ranked;
  const winner = first && first.score > 0 ? first : undefined;
  const category: TaskCategory = winner?.category ?? "general_chat";
  const confidence = winner
    ? Math.min(
        0.95,
        0.5 + (0.25 * (winner.score - (second?.score ?? 0))) / winner.score + 0.05 * Math.min(winner.score, 4),
      )
    : 0.5;
  const complexity = complexityOf(
    prompt,
    category,
    { length: input.prompt.length, codeLines, stackTrace, greeting: isGreeting },
    signals,
  );
  const defaultTier = Math.min(4, Math.max(1, baseTier[category] + complexityShift[complexity]));
  return {
    category,
    complexity,
    confidence: round2(confidence),
    defaultTier,
    minTier: Math.max(defaultTier, floorTier[category]),
    signals,
  };
}
