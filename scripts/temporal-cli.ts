import { goTool } from "./go-tools";

// The Temporal CLI: built by `make temporal` into .tools/bin, or on PATH.
export function temporalCli(): string {
  return goTool("temporal", "temporal");
}
