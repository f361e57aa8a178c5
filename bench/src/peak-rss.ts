import { readFile } from "node:fs/promises";

// The most memory a process has held resident since it started (VmHWM, Linux), in MB; undefined
// where /proc is not there or the process is gone.
export async function peakRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return kb === null ? undefined : Number(kb[1]) / 1024;
  } catch {
    return undefined;
  }
}
