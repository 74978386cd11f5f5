// Reading an event-stream response in tests: every `data:` payload, in order.
export async function readSse(response: Response): Promise<{ events: string[]; raw: string }> {
  const raw = await response.text();
  const events = raw
    .split(/\r?\n\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n"),
    )
    .filter((data) => data.length > 0);
  return { events, raw };
}
