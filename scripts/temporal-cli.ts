import { existsSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "./root";

// The Temporal CLI: on PATH, or built by `make temporal` into .tools/bin.
export function temporalCli(): string {
  const local = path.join(ROOT, ".tools", "bin", "temporal");
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "temporal");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  throw new Error("the Temporal CLI is not installed: run `make temporal` (it builds one into .tools/bin)");
}
