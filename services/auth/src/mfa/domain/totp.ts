import { Secret, TOTP } from "otpauth";

// Time-based one-time passwords (RFC 6238) with the parameters every authenticator app reads from
// an otpauth:// URI: SHA-1, six digits, 30-second steps. No I/O.
const PERIOD_SECONDS = 30;
const DIGITS = 6;
// One step either side of now: clocks drift and people type slowly (RFC 6238 §5.2 recommends at
// most one step back). Three codes live at once: a guess succeeds with odds 3 in a million.
const WINDOW = 1;

// How long a started enrolment waits for its first code.
export const TOTP_ENROLLMENT_TTL_MS = 10 * 60 * 1000;

function totp(secretBase32: string, label = ""): TOTP {
  return new TOTP({
    issuer: "FlowShield",
    label,
    algorithm: "SHA1",
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

// 160 random bits (RFC 4226's recommended length), base32 as the apps take it.
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, accountName: string): string {
  return totp(secretBase32, accountName).toString();
}

export function isTotpCode(text: string): boolean {
  return /^\d{6}$/.test(text);
}

// The time step a code belongs to, when it is one of the live ones at `now` and newer than the
// last step this factor accepted (a code works once: the same code again, or an older one, is
// refused); undefined otherwise.
export function acceptedTotpStep(secretBase32: string, code: string, now: Date, lastStep: number | undefined): number | undefined {
  if (!isTotpCode(code)) return undefined;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return undefined;
  const step = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  return lastStep === undefined || step > lastStep ? step : undefined;
}

// The code an app shows at `time` (tests, and the benchmark's client).
export function totpCodeAt(secretBase32: string, time: Date): string {
  return totp(secretBase32).generate({ timestamp: time.getTime() });
}
