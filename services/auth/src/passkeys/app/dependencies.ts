import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { PasskeyFactor } from "../domain/passkey";

// What the passkey use cases need from the world (kernel/app/dependencies.ts gathers it into
// AuthDeps); adapters/ implements them.

export interface PasskeyStore {
  findByCredentialId(credentialId: string): Promise<PasskeyFactor | undefined>;
  // A confirmed passkey, with the recovery codes' hashes unless the user has live ones; the
  // user's other sessions end, audited, in the same transaction.
  add(
    passkey: PasskeyFactor,
    recoveryCodeHashes: string[],
    endOtherSessions: string,
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<{ recoveryCodesStored: boolean }>;
  // Records an assertion: compare-and-set on the counter when the authenticator keeps one (a
  // counter that did not grow means a cloned key); false when it did not.
  spend(factorId: string, counter: number, backedUp: boolean, now: Date): Promise<boolean>;
}

export interface NewPasskey {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  backedUp: boolean;
  deviceType: string;
}

// The WebAuthn ceremonies (@simplewebauthn/server, adapters/webauthn.ts), for one relying party.
export interface WebAuthn {
  registrationOptions(user: { id: string; email: string }, exclude: PasskeyFactor[]): Promise<{ optionsJson: string; challenge: string }>;
  // The new credential, or undefined when the response does not verify (wrong challenge, origin
  // or relying party, a bad attestation, no user presence).
  verifyRegistration(responseJson: string, expectedChallenge: string): Promise<NewPasskey | undefined>;
  authenticationOptions(allow: PasskeyFactor[]): Promise<{ optionsJson: string; challenge: string }>;
  // The credential an assertion names (its id), if it parses.
  credentialIdOf(assertionJson: string): string | undefined;
  verifyAuthentication(
    assertionJson: string,
    expectedChallenge: string,
    passkey: PasskeyFactor,
    requireUserVerification: boolean,
  ): Promise<{ counter: number; backedUp: boolean; userVerified: boolean } | undefined>;
  // The challenge a registration response answers (its client data), to find the ceremony by.
  challengeOf(responseJson: string): string | undefined;
}
