// Where an address is, as the packaged databases tell it (risk/adapters/network-directory.ts).
// No I/O.

export interface Position {
  latitude: number;
  longitude: number;
}

export interface Place extends Position {
  country: string;
  city?: string;
}

// The network an address belongs to: its autonomous system's number, whether that is a hosting or
// data-centre network, and where the address is. Anything may be unknown (a private
// address, a range the databases do not list).
export interface Network {
  asn?: number;
  hosting: boolean;
  place?: Place;
}

const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

// Great-circle distance (haversine).
export function distanceKm(a: Position, b: Position): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
