// A passkey in software, for the benchmark's passwordless sign-ins: an ES256 key pair that answers
// WebAuthn registration options ("none" attestation) and authentication options the way a
// platform authenticator does, with user presence and verification. CBOR through
// @simplewebauthn/server's own encoder, the signature through node:crypto.
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
const ATTESTED_CREDENTIAL = 0x40;

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64u = (data: Uint8Array) => Buffer.from(data).toString("base64url");

export function softwarePasskey(origin: string) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const credentialId = randomBytes(16);
  // COSE_Key: kty EC2, alg ES256, crv P-256, x, y.
  const coseKey = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]),
  );
  const authenticatorData = (rpId: string, flags: number, attested?: Uint8Array) =>
    Buffer.concat([sha256(rpId), Buffer.from([flags]), Buffer.alloc(4), ...(attested !== undefined ? [attested] : [])]);
  const clientData = (type: string, challenge: string) => Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  let userHandle = "";

  return {
    // The browser's answer to PublicKeyCredentialCreationOptionsJSON.
    register(optionsJson: string): string {
      const options = JSON.parse(optionsJson) as { challenge: string; rp: { id: string }; user: { id: string } };
      userHandle = options.user.id;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(credentialId.length);
      const attested = Buffer.concat([Buffer.alloc(16), length, credentialId, coseKey]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ["fmt", "none"],
          ["attStmt", new Map()],
          ["authData", authenticatorData(options.rp.id, USER_PRESENT | USER_VERIFIED | ATTESTED_CREDENTIAL, attested)],
        ]) as never,
      );
      return JSON.stringify({
        id: b64u(credentialId),
        rawId: b64u(credentialId),
        type: "public-key",
        response: {
          clientDataJSON: b64u(clientData("webauthn.create", options.challenge)),
          attestationObject: b64u(attestationObject),
          transports: ["internal"],
        },
        clientExtensionResults: {},
      });
    },

    // The browser's answer to PublicKeyCredentialRequestOptionsJSON.
    assert(optionsJson: string): string {
      const options = JSON.parse(optionsJson) as { challenge: string; rpId: string };
      const data = authenticatorData(options.rpId, USER_PRESENT | USER_VERIFIED);
      const client = clientData("webauthn.get", options.challenge);
      const signature = sign("sha256", Buffer.concat([data, sha256(client)]), privateKey);
      return JSON.stringify({
        id: b64u(credentialId),
        rawId: b64u(credentialId),
        type: "public-key",
        response: { clientDataJSON: b64u(client), authenticatorData: b64u(data), signature: b64u(signature), userHandle },
        clientExtensionResults: {},
      });
    },

    // The signature check alone over one assertion (what any verifier of a passkey must do), for
    // the baseline: a function that verifies it once.
    verifier(optionsJson: string): () => boolean {
      const { response } = JSON.parse(this.assert(optionsJson)) as {
        response: { clientDataJSON: string; authenticatorData: string; signature: string };
      };
      const signed = Buffer.concat([
        Buffer.from(response.authenticatorData, "base64url"),
        sha256(Buffer.from(response.clientDataJSON, "base64url")),
      ]);
      const signature = Buffer.from(response.signature, "base64url");
      return () => verify("sha256", signed, publicKey, signature);
    },
  };
}
