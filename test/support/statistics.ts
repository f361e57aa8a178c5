// The Mann-Whitney U test (two-sided, normal approximation with ties averaged): whether two
// samples come from one distribution. The p-value is the chance of a difference at least this
// large between samples of one distribution, so a test that fails below α has a false-positive
// rate of α.
export function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, from: 0 })), ...b.map((v) => ({ v, from: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const rankSumA = all.reduce((sum, x, i) => (x.from === 0 ? sum + ranks[i]! : sum), 0);
  const [n1, n2] = [a.length, b.length];
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const z = (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  return 2 * (1 - normalCdf(Math.abs(z)));
}

// Φ(x), from the error function (Abramowitz and Stegun 7.1.26, error below 1.5e-7).
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * x) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return 0.5 * (1 + erf);
}
