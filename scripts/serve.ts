import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The portal's HTTP server: Next.js behind a plain Node server that records each request's socket
// address (lib/http/client-address.ts). `next start` cannot: Next.js keeps a client's own
// X-Forwarded-For, so throttling and the audit would believe any address a client chose.
// Usage: tsx scripts/serve.ts [--dev] -p PORT -H HOST (started by scripts/start.ts and scripts/e2e-server.ts).
const args = process.argv.slice(2);
const option = (flag: string, fallback: string) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dev = args.includes("--dev");
const port = Number(option("-p", process.env.PORT ?? "3000"));
const hostname = option("-H", "0.0.0.0");

const app = next({ dev, dir: PROJECT_ROOT, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // Overwrites whatever a client sent under this name (Node lower-cases header names).
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`[serve] ${dev ? "development" : "production"} server on http://${hostname}:${port}`));

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
