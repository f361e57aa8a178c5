import { ValidationError } from "@flowshield/common/contract/validation";
import type { AuthMethod, Factor } from "../../mfa/domain/factor";

// Passkeys (WebAuthn credentials): what is kept of one, and what using one proves. No I/O.

export interface PasskeyFactor extends Factor {
  type: "passkey";
  // base64url, as the browser names it.
  credentialId: string;
  publicKey: Uint8Array;
  // The authenticator's signature counter (0 for most passkeys, which keep none).
  counter: number;
  transports: string[];
  // Synced to other devices by its provider (a password manager, an OS keychain), or bound to one.
  backedUp: boolean;
  deviceType: string;
}

export function isPasskeyFactor(factor: Factor): factor is PasskeyFactor {
  return factor.type === "passkey" && "credentialId" in factor;
}

// Where passkeys are made for and used on: the relying party id is PUBLIC_URL's host (a passkey
// made for it works on that host and its subdomains), and assertions must come from its origin.
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name: "FlowShield", origin: url.origin };
}

// RFC 8176: a key in hardware (bound to one device) or in software (synced by its provider).
export function passkeyMethod(backedUp: boolean): AuthMethod {
  return backedUp ? "swk" : "hwk";
}

// What one use of a passkey proves. With user verification (a PIN or a biometric on the device)
// it is two factors — something held and something known or been (NIST SP 800-63B §5.1.9, a
// multi-factor cryptographic authenticator) — and signs in alone; without, it is one.
export function passkeyMethods(backedUp: boolean, userVerified: boolean): AuthMethod[] {
  return userVerified ? [passkeyMethod(backedUp), "mfa"] : [passkeyMethod(backedUp)];
}

export const PASSKEY_NAME_MAX = 64;

export function checkPasskeyName(raw: string): string {
  const name = raw.trim();
  if (name === "") return "Passkey";
  if ([...name].length > PASSKEY_NAME_MAX) throw new ValidationError("name", `must be at most ${PASSKEY_NAME_MAX} characters`);
  return name;
}
