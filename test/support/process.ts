import { spawn } from "node:child_process";

export interface Exit {
  code: number | null;
  // stdout and stderr, interleaved as they came.
  output: string;
}

// Runs a program to its end, with `input` on its stdin, and answers its exit code and output.
export function runProgram(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<Exit> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: [options.input !== undefined ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  if (options.input !== undefined) child.stdin?.end(options.input);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}
