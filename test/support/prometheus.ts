// A process's /metrics, scraped and read as Prometheus would: the sum of the samples of a name
// whose labels include the ones given (a histogram's observation count is its <name>_count).
// The text format is a sample per line, `name{label="value",...} number`; the exposition of
// prom-client and of the Temporal SDK's core need no more than that (no escaped quotes in our
// label values), and the parser package tried dropped histograms' labels.
export interface Scrape {
  value(name: string, labels?: Record<string, string>): number;
  has(name: string): boolean;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g;

export function parseExposition(text: string): Sample[] {
  return text.split("\n").flatMap((line) => {
    const match = line.startsWith("#") ? null : SAMPLE.exec(line);
    if (match === null) return [];
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(LABEL)].map(([, key, value]) => [key!, value!]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const samples = parseExposition(await res.text());
  return {
    value: (name, labels = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
        .reduce((sum, s) => sum + s.value, 0),
    has: (name) => samples.some((s) => s.name === name),
  };
}
