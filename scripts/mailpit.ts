// Mailpit for `make dev`: an SMTP server the worker mails through (1025) and a web UI to read what
// it sent (8025), its messages kept under .data/ like everything else.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { stopProcess, type Stoppable } from "./stack";
import { goTool } from "./go-tools";

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
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Mailpit exited with code ${child.exitCode}`);
    const up = await fetch(`${uiUrl}/livez`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error("Mailpit did not start within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`, uiUrl, stop: () => stopProcess(child) };
}
