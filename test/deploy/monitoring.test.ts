import { monitoringQueries, parseQuery } from "../support/monitoring";

// The alerting rules and the dashboard are PromQL that Prometheus and Grafana only read when they
// run them; a typo would show as an empty panel or an alert that never fires. Each expression is
// parsed here; test/observability/metrics.test.ts checks that every metric they name is one the
// processes export.

const queries = monitoringQueries();

test("the rules and the dashboard hold queries", () => {
  expect(queries.filter((q) => q.where.startsWith("alert")).length).toBeGreaterThanOrEqual(8);
  expect(queries.filter((q) => q.where.startsWith("panel")).length).toBeGreaterThanOrEqual(12);
});

test.each(queries.map((q) => [q.where, q.expr]))("%s parses as PromQL", (_where, expr) => {
  const { valid, metrics } = parseQuery(expr);
  expect(valid).toBe(true);
  expect(metrics.length).toBeGreaterThan(0);
});

test("a broken query is caught", () => {
  expect(parseQuery("sum(rate(flowshield_rpc_server_handled_total[5m])").valid).toBe(false);
  expect(parseQuery("rate(flowshield_x_total[$__rate_interval])")).toEqual({ valid: true, metrics: ["flowshield_x_total"] });
});
