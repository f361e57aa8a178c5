import { existsSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "./root";

// A Go tool the Makefile builds into .tools/bin (or one found on PATH).
export function goTool(name: string, makeTarget: string): string {
  const local = path.join(ROOT, ".tools", "bin", name);
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} is not installed: run \`make ${makeTarget}\` (it builds one into .tools/bin)`);
}
