// Steering the mock upstream's model lists (see mock-catalog.ts) from tests inside workerd.
import { expect } from "vitest";
import type { CatalogScenario } from "./mock-catalog";

export type { CatalogScenario };

export async function setScenario(mockUrl: string, scenario: CatalogScenario): Promise<void> {
  const response = await fetch(`${mockUrl}/__scenario`, { method: "POST", body: JSON.stringify(scenario) });
  expect(response.status).toBe(200);
}

/** The model ids of a recorded OpenAI- or Anthropic-style list (`data[].id`). */
export async function recordedList(mockUrl: string, path: string): Promise<string[]> {
  const response = await fetch(`${mockUrl}/__fixtures/${path}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { id: string }[] };
  return body.data.map((entry) => entry.id);
}
