import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { app: "portal-4a" },
  redact: ["password", "*.password", "code", "*.code", "token", "*.token"],
});
