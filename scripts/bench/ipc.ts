// The small protocol between the bench runner and the processes it forks (mock upstream, local stack,
// Miniflare host): a child announces "ready" once, then answers named requests and stops on "stop".
// Every piece runs in its own process so each one's CPU time can be read from /proc on its own.

export type ParentMessage = { type: "request"; id: number; name: string } | { type: "stop" };

export type ChildMessage =
  | { type: "ready"; value: unknown }
  | { type: "reply"; id: number; ok: true; value: unknown }
  | { type: "reply"; id: number; ok: false; error: string }
  | { type: "failed"; error: string };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

export interface ChildServer {
  /** Named requests the runner may make (e.g. "stats"); the value goes back as the reply. */
  handlers?: Record<string, () => unknown | Promise<unknown>>;
  /** Runs once on "stop", SIGINT (Ctrl-C reaches the whole process group) or SIGTERM, then the process exits. */
  stop: () => Promise<void>;
}

/**
 * Child side: reports `ready`, serves requests, stops cleanly exactly once. Exits on its own when the
 * runner disappears (IPC channel closed) so no orphan keeps a port or a scratch database.
 */
export function serveParent(ready: unknown, server: ChildServer): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch((error: unknown) => console.error(error));
    process.exit(code);
  };
  process.on("message", (message: unknown) => {
    if (!isParentMessage(message)) return;
    if (message.type === "stop") return void stop(0);
    const handler = server.handlers?.[message.name];
    if (!handler) {
      send({ type: "reply", id: message.id, ok: false, error: `unknown request ${message.name}` });
      return;
    }
    Promise.resolve()
      .then(handler)
      .then(
        (value) => send({ type: "reply", id: message.id, ok: true, value }),
        (error: unknown) => send({ type: "reply", id: message.id, ok: false, error: String(error) }),
      );
  });
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  process.on("disconnect", () => void stop(0));
  send({ type: "ready", value: ready });
}

/** Child side: startup failed; tell the runner why before exiting. */
export function reportStartupFailure(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ type: "failed", error: text });
  console.error(text);
  process.exit(1);
}

/** Reads a required environment variable of a child (set by the runner). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set (this script is started by the bench)`);
  return value;
}
