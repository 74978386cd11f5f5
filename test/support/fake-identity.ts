// Local stand-ins for POST /auth's identity provider (a JWKS endpoint whose private key the tests
// sign with) and for the Resend-compatible email API (records what it is sent; can be told to fail).
import { createServer } from "node:http";
import { exportJWK, generateKeyPair } from "jose";

export const TEST_AUTH_ISSUER = "https://identity.test.example";
export const TEST_AUTH_AUDIENCE = "edge-llm-gateway-tests";
export const TEST_EMAIL_API_KEY = "re_test_0123456789";

export interface FakeIdentityAndEmail {
  bindings: Record<string, string>;
  stop(): Promise<void>;
}

export async function startFakeIdentityAndEmail(): Promise<FakeIdentityAndEmail> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "ES256", use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "ES256" };
  const emails: unknown[] = [];
  let failEmails = false;

  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "GET" && req.url === "/jwks.json") return reply(200, { keys: [publicJwk] });
    if (req.method === "GET" && req.url === "/emails") return reply(200, emails);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (req.method === "POST" && req.url === "/__fail-emails") {
        failEmails = text === "true";
        return reply(200, { failEmails });
      }
      if (req.method === "POST" && req.url === "/emails") {
        if (req.headers.authorization !== `Bearer ${TEST_EMAIL_API_KEY}`) return reply(401, { message: "bad key" });
        if (failEmails) return reply(503, { message: "email service down (test)" });
        const message: unknown = JSON.parse(text);
        emails.push(message);
        return reply(200, { id: `email_${emails.length}` });
      }
      reply(404, { message: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake identity server failed to bind");
  const base = `http://127.0.0.1:${address.port}`;
  return {
    bindings: {
      AUTH_JWKS_URL: `${base}/jwks.json`,
      AUTH_ISSUER: TEST_AUTH_ISSUER,
      AUTH_AUDIENCE: TEST_AUTH_AUDIENCE,
      EMAIL_API_URL: `${base}/emails`,
      EMAIL_API_KEY: TEST_EMAIL_API_KEY,
      PASSWORD_RESET_URL: "https://app.test.example/recover",
      TEST_IDENTITY_PRIVATE_JWK: JSON.stringify(privateJwk),
      TEST_FAKE_EMAIL_URL: base,
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
