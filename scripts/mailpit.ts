// Mailpit for `make dev`: an SMTP server the worker mails through (1025) and a web UI to read what
// it sent (8025), its messages kept under .data/ like everything else.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { stopProcess, type Stoppable } from "./stack";
import { goTool } from "./go-tools";
import { httpOk, pollUntil } from "./poll";

export interface RunningMailpit extends Stoppable {
  smtpUrl: string;
  uiUrl: string;
}

export async function startMailpit(options: { smtpPort: number; uiPort: number; dbFile: string }): Promise<RunningMailpit> {
  await mkdir(path.dirname(options.dbFile), { recursive: true });
  const child = spawn(
    goTool("mailpit", "mailpit"),
    [
      "--smtp",
      `127.0.0.1:${options.smtpPort}`,
      "--listen",
      `127.0.0.1:${options.uiPort}`,
      "--database",
      options.dbFile,
      // The closed network refuses GitHub: no update check.
      "--disable-version-check",
      "--quiet",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const uiUrl = `http://localhost:${options.uiPort}`;
  await pollUntil("Mailpit", () => httpOk(`${uiUrl}/livez`), { process: child, timeoutMs: 30_000, intervalMs: 200 });
  return { smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`, uiUrl, stop: () => stopProcess(child) };
}
