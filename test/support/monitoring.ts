import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";

// The PromQL of deploy/k8s/components/monitoring: the alerting rules and the Grafana dashboard's
// panels, each parsed with Prometheus' own PromQL grammar (the one its web UI uses).

const DIR = path.resolve(__dirname, "..", "..", "deploy", "k8s", "components", "monitoring");

export interface Query {
  where: string;
  expr: string;
}

export function monitoringQueries(): Query[] {
  const rules = parse(readFileSync(path.join(DIR, "alerts.yaml"), "utf8")) as {
    spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  };
  const dashboard = JSON.parse(readFileSync(path.join(DIR, "flowshield-dashboard.json"), "utf8")) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  return [
    ...rules.spec.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel ${p.title}`, expr: t.expr }))),
  ];
}

// Whether the expression parses, and the metric names it selects. Grafana's $__rate_interval is
// given a value first, as Grafana does before sending the query.
export function parseQuery(expr: string): { valid: boolean; metrics: string[] } {
  const text = expr.replaceAll("$__rate_interval", "5m");
  const tree = parser.parse(text);
  let valid = true;
  const metrics: string[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) valid = false;
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") metrics.push(text.slice(node.from, node.to));
    },
  });
  return { valid, metrics };
}
