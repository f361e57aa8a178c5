// The benchmark's two-step sign-ins: accounts with an authenticator app, and a call that signs one
// in with its password and then its code.
import type { Client } from "@connectrpc/connect";
import type { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { enrolTotp } from "../../scripts/authenticator-app";
import { BENCH_PASSWORD } from "./calls";

export interface TotpAccount {
  email: string;
  code(): Promise<string>;
}

// Enrols an authenticator app for a registered account, as its owner would.
export async function enrolTotpAccount(auth: Client<typeof AuthService>, email: string): Promise<TotpAccount> {
  const { app } = await enrolTotp(auth, { email, password: BENCH_PASSWORD });
  return { email, code: app.code };
}

// Login and CompleteLogin with the app's code, over the accounts in turn: each account's code
// works once a step, so the accounts are as many as the calls of one step and a half.
export function totpLoginCall(auth: Client<typeof AuthService>, accounts: TotpAccount[]) {
  return async (n: number) => {
    const account = accounts[n % accounts.length]!;
    const { mfaChallenge } = await auth.login({ email: account.email, password: BENCH_PASSWORD });
    if (mfaChallenge === undefined) throw new Error("Login answered tokens for an account with a second factor");
    await auth.completeLogin({ challengeId: mfaChallenge.id, factor: { case: "totpCode", value: await account.code() } });
  };
}

// Login alone, over the accounts in turn (accounts without a second factor).
export function passwordLoginCall(auth: Client<typeof AuthService>, emails: string[]) {
  return async (n: number) => {
    await auth.login({ email: emails[n % emails.length]!, password: BENCH_PASSWORD });
  };
}

// A passwordless sign-in: StartPasskeyLogin, the passkey's assertion, CompleteLogin.
export function passkeyLoginCall(auth: Client<typeof AuthService>, passkeys: Array<{ assert(optionsJson: string): string }>) {
  return async (n: number) => {
    const passkey = passkeys[n % passkeys.length]!;
    const { challengeId, optionsJson } = await auth.startPasskeyLogin({});
    await auth.completeLogin({ challengeId, factor: { case: "webauthnAssertionJson", value: passkey.assert(optionsJson) } });
  };
}

// Registers a software passkey for a registered account, as its owner would.
export async function registerPasskey<P extends { register(optionsJson: string): string }>(
  auth: Client<typeof AuthService>,
  email: string,
  passkey: P,
): Promise<P> {
  const { accessToken } = await auth.login({ email, password: BENCH_PASSWORD });
  const bearer = { headers: { authorization: `Bearer ${accessToken}` } };
  const { optionsJson } = await auth.startPasskeyRegistration({}, bearer);
  await auth.finishPasskeyRegistration({ responseJson: passkey.register(optionsJson), name: "bench" }, bearer);
  return passkey;
}
