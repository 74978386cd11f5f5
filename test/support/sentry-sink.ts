// A stand-in for Sentry's ingest endpoint: records every envelope it receives; GET /events returns them.
import { createServer } from "node:http";

export interface SentrySink {
  /** A DSN pointing at this sink, for SENTRY_DSN. */
  readonly dsn: string;
  readonly eventsUrl: string;
  stop(): Promise<void>;
}

export async function startSentrySink(): Promise<SentrySink> {
  const envelopes: string[] = [];
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/events") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(envelopes));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      envelopes.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("sentry sink failed to bind");
  return {
    dsn: `http://testpublickey@127.0.0.1:${address.port}/42`,
    eventsUrl: `http://127.0.0.1:${address.port}/events`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
