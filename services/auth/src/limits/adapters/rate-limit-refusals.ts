import { Counter, type Registry } from "prom-client";

// Requests refused by a limit, by the limit that refused them (the rate limits' key prefixes, and
// the bcrypt queue's): the dashboard's abuse panel. One counter, shared by whoever refuses.
export function rateLimitRefusals(registry: Registry): Counter<"limit"> {
  const name = "flowshield_rate_limit_refusals_total";
  return (
    (registry.getSingleMetric(name) as Counter<"limit"> | undefined) ??
    new Counter({
      name,
      help: "Requests refused by a rate limit, lockout or full bcrypt queue, by limit",
      labelNames: ["limit"],
      registers: [registry],
    })
  );
}
