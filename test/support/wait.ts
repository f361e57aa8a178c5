// Checks `condition` every intervalMs until it holds or timeoutMs has passed. The caller then
// asserts what it waited for, so a timeout fails with that assertion's own message.
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
