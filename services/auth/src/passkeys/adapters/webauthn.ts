import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { WebAuthn } from "../app/dependencies";
import type { RelyingParty } from "../domain/passkey";

// The browser's JSON, parsed as far as the library needs it; anything else is no answer.
function parsed<T>(json: string): T | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

// A library error (a malformed response, a signature that does not verify) is a refusal, not a fault.
async function verifiedOrUndefined<T>(verify: () => Promise<T>): Promise<T | undefined> {
  try {
    return await verify();
  } catch {
    return undefined;
  }
}

// WebAuthn Level 3 ceremonies through @simplewebauthn/server. Passkeys are discoverable (resident
// keys, for passwordless sign-in) and asked to verify their user; attestation is not asked for
// (which authenticator made a passkey is not this service's business).
export function createWebAuthn(rp: RelyingParty): WebAuthn {
  const descriptor = (p: { credentialId: string; transports: string[] }) => ({ id: p.credentialId, transports: p.transports });
  return {
    async registrationOptions(user, exclude) {
      const options = await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.email,
        userID: new TextEncoder().encode(user.id),
        attestationType: "none",
        excludeCredentials: exclude.map(descriptor),
        authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
      });
      return { optionsJson: JSON.stringify(options), challenge: options.challenge };
    },

    async verifyRegistration(responseJson, expectedChallenge) {
      const response = parsed<RegistrationResponseJSON>(responseJson);
      if (response === undefined) return undefined;
      const result = await verifiedOrUndefined(() =>
        verifyRegistrationResponse({
          response,
          expectedChallenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          requireUserVerification: false,
        }),
      );
      if (result?.verified !== true) return undefined;
      const { credential, credentialBackedUp, credentialDeviceType } = result.registrationInfo;
      return {
        credentialId: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        deviceType: credentialDeviceType,
      };
    },

    async authenticationOptions(allow) {
      const options = await generateAuthenticationOptions({
        rpID: rp.id,
        allowCredentials: allow.map(descriptor),
        userVerification: "preferred",
      });
      return { optionsJson: JSON.stringify(options), challenge: options.challenge };
    },

    credentialIdOf: (assertionJson) => parsed<AuthenticationResponseJSON>(assertionJson)?.id,

    async verifyAuthentication(assertionJson, expectedChallenge, passkey, requireUserVerification) {
      const response = parsed<AuthenticationResponseJSON>(assertionJson);
      if (response === undefined) return undefined;
      const result = await verifiedOrUndefined(() =>
        verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: {
            id: passkey.credentialId,
            publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
            counter: passkey.counter,
            transports: passkey.transports,
          },
          requireUserVerification,
        }),
      );
      if (result?.verified !== true) return undefined;
      const info = result.authenticationInfo;
      return { counter: info.newCounter, backedUp: info.credentialBackedUp, userVerified: info.userVerified };
    },

    challengeOf(responseJson) {
      const clientData = parsed<RegistrationResponseJSON>(responseJson)?.response?.clientDataJSON;
      if (typeof clientData !== "string") return undefined;
      try {
        const challenge = (JSON.parse(Buffer.from(clientData, "base64url").toString("utf8")) as { challenge?: unknown }).challenge;
        return typeof challenge === "string" ? challenge : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
