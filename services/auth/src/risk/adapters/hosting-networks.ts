// Which autonomous systems are hosting or data-centre networks. The packaged ASN database names
// each network's owner but not its kind, and no package ships that classification, so it is made
// here: the big clouds and hosters by number (their consumer-facing networks, such as a phone
// carrier's, have other numbers), and any owner whose registered name says what it sells. A VPN's
// exit usually sits in one of these; a home or a phone does not. A heuristic, and weighted as one
// (HOSTING_NETWORK alone never prompts anyone: risk/domain/policy.ts).
const HOSTING_ASNS = new Set([
  16509,
  14618,
  8987, // Amazon Web Services
  396982,
  19527, // Google Cloud
  8075,
  8068, // Microsoft Azure
  14061, // DigitalOcean
  16276,
  35540, // OVH
  24940,
  213230, // Hetzner
  63949, // Linode (Akamai)
  20473, // Vultr (The Constant Company)
  51167, // Contabo
  12876, // Scaleway
  31898, // Oracle Cloud
  45102, // Alibaba Cloud
  132203, // Tencent Cloud
  60781,
  28753,
  16265, // Leaseweb
  9009, // M247
  36352, // ColoCrossing
  53667, // FranTech (BuyVM)
  46606, // Unified Layer
  26496, // GoDaddy
  40021, // Contabo US
  62567,
  398324, // DigitalOcean, Censys
]);

const HOSTING_WORDS = /\b(hosting|hoster|host(ed)?|cloud|data ?cent(er|re)s?|datacenter|servers?|vps|colo(cation)?|dedicated|virtual)\b/i;

export function isHostingNetwork(asn: number, owner: string): boolean {
  return HOSTING_ASNS.has(asn) || HOSTING_WORDS.test(owner);
}
