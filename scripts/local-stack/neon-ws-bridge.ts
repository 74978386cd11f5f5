// A WebSocket-to-TCP bridge that does what Neon's `wsproxy` does, so the Neon serverless driver
// (inside workerd or Node) can reach a local PostgreSQL or PGlite over plain TCP. The same server
// answers Neon's SQL-over-HTTP endpoint (`POST /sql`, see neon-http-sql.ts).
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { WebSocketServer } from "ws";
import { createSqlOverHttp } from "./neon-http-sql";

export interface NeonWsBridge {
  /** host:port to put in `neonConfig.wsProxy` (the `/v2?address=` part is added by the client). */
  readonly hostPort: string;
  readonly port: number;
  /** TCP connections currently open to databases (for leak checks). */
  openConnections(): number;
  /** Simulates a database outage: drops every connection and refuses new ones until switched back. */
  setAvailable(available: boolean): void;
  stop(): Promise<void>;
}

/** Only loopback targets are allowed: the bridge is a dev/test tool, never an open relay. */
const allowedHosts = new Set(["127.0.0.1", "localhost", "::1"]);

/** The Postgres frontend Terminate message: 'X' and a length of 4. */
const terminateMessage = Buffer.from([0x58, 0, 0, 0, 4]);

export async function startNeonWsBridge(port = 0): Promise<NeonWsBridge> {
  let available = true;
  const sqlOverHttp = createSqlOverHttp(allowedHosts);
  const http: Server = createServer((req, res) => {
    // POST /__control?available=0|1 switches the simulated outage (tests that stop the database).
    const url = new URL(req.url ?? "/", "http://bridge");
    if (req.method === "POST" && url.pathname === "/__control") {
      setAvailable(url.searchParams.get("available") !== "0");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ available }));
      return;
    }
    if (req.method === "POST" && url.pathname === "/sql") {
      // An outage refuses the connection, as an unreachable endpoint would.
      if (!available) req.socket.destroy();
      else void sqlOverHttp.handle(req, res);
      return;
    }
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required");
  });
  const wss = new WebSocketServer({ server: http });
  let open = 0;

  const setAvailable = (next: boolean) => {
    available = next;
    if (!next) {
      for (const client of wss.clients) client.terminate();
      void sqlOverHttp.closeAll();
    }
  };

  wss.on("connection", (ws, req) => {
    if (!available) {
      ws.close(1013, "database unavailable (simulated outage)");
      return;
    }
    const url = new URL(req.url ?? "/", "http://bridge");
    const address = url.searchParams.get("address") ?? "";
    const separator = address.lastIndexOf(":");
    const host = address.slice(0, separator);
    const targetPort = Number(address.slice(separator + 1));
    if (!allowedHosts.has(host) || !Number.isInteger(targetPort) || targetPort <= 0) {
      ws.close(1008, `address not allowed: ${address}`);
      return;
    }
    const tcp = connect({ host, port: targetPort });
    tcp.setNoDelay(true);
    open += 1;
    tcp.once("close", () => {
      open -= 1;
    });
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on("connect", () => {
      connected = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (connected) tcp.write(chunk);
      else pending.push(chunk);
      // After Terminate a Postgres server hangs up, and the Neon client waits for that. PGlite's socket
      // server does not, so the bridge does it: otherwise every ended pool leaks a connection.
      if (chunk.equals(terminateMessage)) tcp.end();
    });
    tcp.on("data", (chunk) => ws.send(chunk));
    tcp.on("close", () => ws.close());
    tcp.on("error", () => ws.close(1011, "upstream connection failed"));
    ws.on("close", () => tcp.destroy());
    ws.on("error", () => tcp.destroy());
  });

  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error("bridge failed to bind");
  return {
    hostPort: `127.0.0.1:${address.port}`,
    port: address.port,
    openConnections: () => open,
    setAvailable,
    async stop() {
      for (const client of wss.clients) client.terminate();
      await sqlOverHttp.closeAll();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
