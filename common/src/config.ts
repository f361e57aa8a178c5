// Reads configuration from the environment. A missing required value or a malformed number stops
// the process at start-up with the variable's name, rather than failing later on first use.

export function envString(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== "") return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`environment variable ${name} is required`);
}

export function envOptional(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function envInt(name: string, fallback: number): number {
  const raw = envOptional(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`environment variable ${name} must be an integer, got "${raw}"`);
  return value;
}
