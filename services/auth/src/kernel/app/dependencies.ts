import type { Mailer } from "@flowshield/common/mail/mailer";
import type { AuditLog } from "../../audit/app/dependencies";
import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { EmailCodes } from "../../email-codes/app/dependencies";
import type { EmailCodePurpose } from "../../email-codes/domain/email-code";
import type { User } from "../domain/user";
import type { RateLimits } from "../../limits/app/dependencies";
import type { AppGrants, OAuthClients } from "../../oauth/app/dependencies";
import type { BcryptQueue, PasswordHasher } from "../../passwords/app/dependencies";
import type { RegistrationCredentials, RegistrationGateway } from "../../registration/app/dependencies";
import type { AccessTokenIssuer, SessionStore } from "../../sessions/app/dependencies";
import type { SessionPolicy } from "../../sessions/domain/session";
import type { ChallengeStore, FactorSecretBox, FactorStore } from "../../mfa/app/dependencies";
import type { PasskeyStore, WebAuthn } from "../../passkeys/app/dependencies";
import type { RiskEngine } from "../../risk/app/risk-engine";
import type { SecurityNotice, SignInFacts } from "@flowshield/contracts/security-notice";

// What the auth service's use cases need from the world, as small interfaces: here what several
// capabilities share (users, secrets, the lifecycle workflows), and AuthDeps, which gathers these
// and each capability's own (<capability>/app/dependencies.ts). adapters/ implements them
// (kysely, bcrypt, jose, rate-limiter-flexible, Temporal) and server.ts wires them together. A
// method that changes something and takes a Caller and AuditRecords writes those audit events in
// the same transaction as its change.

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  // Inserts unless a user with that id or email exists; returns the new user, or undefined.
  insertIfAbsent(user: User): Promise<User | undefined>;
  // Whether a user was deleted; deleting a missing user is not an error.
  deleteById(id: string): Promise<boolean>;
  // pending -> active; the user as it is afterwards (undefined when there is none).
  activate(id: string, caller: Caller, audit: AuditRecord[]): Promise<User | undefined>;
  // Disables the user unless its email is verified: "expired" when disabled now (or earlier, or
  // the user is gone), "verified" when the email was verified in time.
  expireUnverified(id: string, caller: Caller, audit: AuditRecord[]): Promise<"expired" | "verified">;
  // An operator's: active -> disabled, ending all of the user's access in the same transaction;
  // disabled -> active. The user as it is afterwards (undefined when there is none); a pending
  // user is left as it is.
  setDisabled(id: string, disabled: boolean, caller: Caller, audit: AuditRecord[]): Promise<User | undefined>;
  // Sets a new password hash and revokes the user's sessions, except `keepSessionId`.
  changePassword(id: string, passwordHash: string, keepSessionId: string | undefined, caller: Caller, audit: AuditRecord[]): Promise<void>;
}

// Random secrets and their stored forms (kernel/adapters/secrets.ts).
export interface Secrets {
  newRefreshToken(): string;
  // The refresh token that follows `token`: derived (keyed), so a concurrent caller within the
  // grace window gets the very successor the winner got, while only its hash is stored.
  successorOf(token: string): string;
  hashToken(token: string): string;
  newCode(): string;
  // Keyed (HMAC): a dump of the codes table cannot be brute-forced offline.
  hashCode(purpose: EmailCodePurpose, userId: string, code: string): string;
  newRecoveryCode(): string;
  // Plain SHA-256 (80-bit codes; mfa/domain/recovery-codes.ts) of the user id and the normalised code.
  hashRecoveryCode(userId: string, code: string): string;
}

// The lifecycle workflows, as the use cases reach them. Signals to a workflow that has ended are
// ignored: each workflow's own checks (the database) decide, the signal only wakes it.
export interface LifecycleGateway {
  // Starts the email verification of a new account; starting it again is a no-op.
  startEmailVerification(userId: string, ttlMs: number): Promise<void>;
  emailVerified(userId: string): Promise<void>;
  resendVerification(userId: string): Promise<void>;
  // Starts the user's password reset, or asks the running one for a fresh code.
  requestPasswordReset(userId: string): Promise<void>;
  passwordReset(userId: string): Promise<void>;
  passwordChanged(userId: string): Promise<void>;
  // Mails the user a notice of a change to their second factors (a workflow of its own).
  securityNotice(userId: string, notice: SecurityNotice): Promise<void>;
  // Mails the user a notice of a sign-in new to the account, with its "this was not me" link
  // (the same workflow; auth mails the link itself, through SendEmailCode).
  newSignInNotice(userId: string, signIn: SignInFacts): Promise<void>;
}

// Work a use case hands off after deciding its answer, so that the answer does not wait for it —
// nor take longer for a known email than for an unknown one. A failure is logged.
export type Background = (task: () => Promise<void>) => void;

export interface LifecycleSettings {
  // PUBLIC_URL: where the links in mails lead.
  publicUrl: string;
  sessions: SessionPolicy;
  requireVerifiedEmail: boolean;
  emailVerifyTtlMs: number;
}

// Everything the use cases may ask for; each takes the part it needs (Pick<AuthDeps, ...>).
export interface AuthDeps {
  users: UserRepository;
  oauthClients: OAuthClients;
  appGrants: AppGrants;
  credentials: RegistrationCredentials;
  codes: EmailCodes;
  sessions: SessionStore;
  audit: AuditLog;
  hasher: PasswordHasher;
  bcrypt: BcryptQueue;
  tokens: AccessTokenIssuer;
  secrets: Secrets;
  limits: RateLimits;
  registration: RegistrationGateway;
  lifecycle: LifecycleGateway;
  background: Background;
  // Mails a user's code: the only way a code leaves this service.
  mailer: Mailer;
  settings: LifecycleSettings;
  factors: FactorStore;
  challenges: ChallengeStore;
  factorSecrets: FactorSecretBox;
  passkeys: PasskeyStore;
  webauthn: WebAuthn;
  risk: RiskEngine;
  // Now, as the second factors see it (a TOTP code's window): the unit tests move it.
  clock: () => Date;
}
