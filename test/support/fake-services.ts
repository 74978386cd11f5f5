// A scriptable stand-in for third-party HTTP APIs the gateway calls (Grafana Loki, GitHub, analytics
// sinks, …), for tests running inside workerd (which cannot listen). Requests under /<service>/…
// are recorded and answered with what the test scripted for that service and path (default 200 {}).
//   POST /__script   {service, method?, path, status, body?, headers?, times?}  (path may end in *)
//   GET  /__requests?service=<name>   → [{service, method, path, query, headers, body, at}]
//   POST /__reset    {service}        → forget that service's scripts and requests
import { createServer } from "node:http";

interface Script {
  service: string;
  method?: string;
  path: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

interface Recorded {
  service: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  at: string;
}

export interface FakeServices {
  url: string;
  stop(): Promise<void>;
}

export async function startFakeServices(): Promise<FakeServices> {
  let scripts: Script[] = [];
  let recorded: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const text = Buffer.concat(chunks).toString("utf8");
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { "content-type": "application/json", ...headers })
          .end(typeof body === "string" ? body : JSON.stringify(body ?? {}));
      if (url.pathname === "/__script" && req.method === "POST") {
        scripts.unshift(JSON.parse(text) as Script);
        return reply(200, { ok: true });
      }
      if (url.pathname === "/__requests" && req.method === "GET") {
        const service = url.searchParams.get("service");
        return reply(200, service ? recorded.filter((r) => r.service === service) : recorded);
      }
      if (url.pathname === "/__reset" && req.method === "POST") {
        const { service } = JSON.parse(text || "{}") as { service?: string };
        scripts = service ? scripts.filter((s) => s.service !== service) : [];
        recorded = service ? recorded.filter((r) => r.service !== service) : [];
        return reply(200, { ok: true });
      }
      const [, service = "", ...rest] = url.pathname.split("/");
      const path = `/${rest.join("/")}`;
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(", ") : (value ?? ""),
        ]),
      );
      recorded.push({
        service,
        method: req.method ?? "GET",
        path,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: text,
        at: new Date().toISOString(),
      });
      const script = scripts.find(
        (s) =>
          s.service === service &&
          (!s.method || s.method === req.method) &&
          (s.path.endsWith("*") ? path.startsWith(s.path.slice(0, -1)) : s.path === path) &&
          (s.times === undefined || s.times > 0),
      );
      if (!script) return reply(200, {});
      if (script.times !== undefined) script.times -= 1;
      return reply(script.status, script.body, script.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake services failed to bind");
  return {
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
