import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { EmailCodePurpose } from "../../../email-codes/domain/email-code";
import type { UserStatus } from "../../domain/user";
import type { FactorType } from "../../../mfa/domain/factor";
import type { ChallengePurpose } from "../../../mfa/domain/challenge";
import type { RegistrationDecision } from "../../../risk/domain/policy";

// The auth database, table by table, as kysely sees it.
export interface AuthDatabase {
  users: UsersTable;
  signing_keys: SigningKeysTable;
  registration_credentials: RegistrationCredentialsTable;
  email_codes: EmailCodesTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
  oidc_payloads: OidcPayloadsTable;
  factors: FactorsTable;
  recovery_codes: RecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  risk_profiles: RiskProfilesTable;
  registration_risk: RegistrationRiskTable;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  status: UserStatus;
  create_time: ColumnType<Date, Date | undefined, never>;
  update_time: ColumnType<Date, Date | undefined, Date>;
  email_verified: ColumnType<boolean, boolean | undefined, boolean>;
  email_verify_time: Date | null;
  // The registration's risk decision was verify_first: no sign-in before the email is verified.
  verify_first: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface RegistrationCredentialsTable {
  user_id: string;
  password_hash: string;
  create_time: Generated<Date>;
}

export interface EmailCodesTable {
  user_id: string;
  purpose: EmailCodePurpose;
  // HMAC-SHA-256 (a key of the service's) of purpose, user id and code: the code itself is never
  // stored, and a dump of the table cannot be brute-forced offline.
  code_hash: string;
  expire_time: Date;
  consume_time: Date | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  create_time: Date;
  last_use_time: Date;
  expire_time: Date;
  ip: string;
  user_agent: string;
  revoke_time: Date | null;
  revoke_reason: string | null;
  // What the sign-in proved (RFC 8176: pwd, otp, hwk, swk, mfa), and when a second factor last was.
  amr: ColumnType<string[], string[] | undefined, string[]>;
  factor_time: Date | null;
}

export interface RefreshTokensTable {
  // SHA-256 of the token: the token itself is never stored.
  token_hash: string;
  session_id: string;
  create_time: Date;
  consume_time: Date | null;
}

export interface AuditEventsTable {
  id: string;
  time: Date;
  type: string;
  user_id: string | null;
  request_id: string;
  ip: string;
  user_agent: string;
  detail: ColumnType<Record<string, unknown>, string, never>;
}

export interface SigningKeysTable {
  kid: string;
  // The private key as a JWK. Kept here for development; production loads its key from
  // AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE and stores none.
  private_jwk: ColumnType<Record<string, unknown>, string, never>;
  // EdDSA: the key access tokens are signed with; RS256: the OpenID provider's ID-token key.
  alg: Generated<string>;
  create_time: Generated<Date>;
}

// One thing oidc-provider keeps (model: Session, Grant, AuthorizationCode, RefreshToken, Client, …).
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  // The user whose session, grant, code or token this is (the payload's accountId).
  account_id: string | null;
  expire_time: Date | null;
  consume_time: ColumnType<Date | null, never, Date>;
  create_time: Generated<Date>;
}

export interface FactorsTable {
  id: string;
  user_id: string;
  type: FactorType;
  name: string;
  create_time: Date;
  confirm_time: Date | null;
  last_use_time: Date | null;
  // AES-256-GCM under a key derived from the payload keys (mfa/adapters/factor-secret-box.ts).
  totp_secret: string | null;
  // bigint: pg answers it as text.
  totp_last_step: ColumnType<string | null, number | null, number | null>;
  credential_id: string | null;
  public_key: Buffer | null;
  sign_count: ColumnType<string | null, number | null, number | null>;
  transports: string[] | null;
  backed_up: boolean | null;
  device_type: string | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  consume_time: Date | null;
}

export interface MfaChallengesTable {
  id_hash: string;
  // Unset for a passwordless sign-in's, until an assertion names its credential.
  user_id: string | null;
  purpose: ColumnType<ChallengePurpose, ChallengePurpose | undefined, never>;
  session_id: string | null;
  amr: string[];
  kinds: string[];
  webauthn_challenge: string | null;
  expire_time: Date;
  claim_time: Date | null;
  failures: Generated<number>;
}

export interface RiskProfilesTable {
  user_id: string;
  // risk/domain/account-normal.ts's AccountNormal.
  normal: ColumnType<unknown, string, string>;
  update_time: Date;
}

export interface RegistrationRiskTable {
  user_id: string;
  decision: RegistrationDecision;
  score: number;
  reasons: string[];
  policy_version: string;
  create_time: Date;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
