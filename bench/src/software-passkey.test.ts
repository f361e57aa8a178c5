import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { softwarePasskey } from "./software-passkey";

// The benchmark's software passkey must be one the server accepts, or the passkey phase measures
// refusals: its registration and its assertions verify with @simplewebauthn/server, and a
// tampered assertion does not.
test("a software passkey registers, signs in, and its signature check is the real one", async () => {
  const origin = "http://localhost:8081";
  const passkey = softwarePasskey(origin);
  const creation = await generateRegistrationOptions({
    rpName: "FlowShield",
    rpID: "localhost",
    userName: "bench@example.com",
    attestationType: "none",
  });
  const registered = await verifyRegistrationResponse({
    response: JSON.parse(passkey.register(JSON.stringify(creation))),
    expectedChallenge: creation.challenge,
    expectedOrigin: origin,
    expectedRPID: "localhost",
  });
  expect(registered).toMatchObject({ verified: true, registrationInfo: { userVerified: true } });
  const request = await generateAuthenticationOptions({ rpID: "localhost" });
  const assertion = JSON.parse(passkey.assert(JSON.stringify(request)));
  const credential = registered.registrationInfo!.credential;
  const verify = (response: unknown) =>
    verifyAuthenticationResponse({
      response: response as never,
      expectedChallenge: request.challenge,
      expectedOrigin: origin,
      expectedRPID: "localhost",
      credential,
    });
  await expect(verify(assertion)).resolves.toMatchObject({ verified: true, authenticationInfo: { userVerified: true } });
  const tampered = { ...assertion, response: { ...assertion.response, signature: Buffer.alloc(70, 1).toString("base64url") } };
  await expect(
    verify(tampered).then(
      (r) => r.verified,
      () => false,
    ),
  ).resolves.toBe(false);
  expect(passkey.verifier(JSON.stringify(request))()).toBe(true);
});
