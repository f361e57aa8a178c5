import type { AuditRecord, Caller } from "../../audit/domain/audit";
import { resendVerificationEmail, verifyEmail } from "../../email-verification/app/email-verification";
import { listAppGrants, revokeAppGrant } from "../../oauth/app/app-grants";
import { createOAuthClient, deleteOAuthClient, getOAuthClient, listOAuthClients } from "../../oauth/app/oauth-clients";
import { changePassword, requestPasswordReset, resetPassword } from "../../passwords/app/passwords";
import { register } from "../../registration/app/register";
import { login, passwordStep } from "../../sessions/app/login";
import {
  confirmTotpEnrollment,
  listFactors,
  regenerateRecoveryCodes,
  removeFactor,
  resetFactors,
  startTotpEnrollment,
} from "../../mfa/app/factors";
import { answerChallenge, completeLogin, startStepUp } from "../../mfa/app/second-step";
import { finishPasskeyRegistration, startPasskeyLogin, startPasskeyRegistration } from "../../passkeys/app/passkeys";
import { listSessions, logout, refresh, revokeSession, signOutEverywhere } from "../../sessions/app/sessions";
import { endSessionsByNotice } from "../../sessions/app/not-me";
import { assessRegistrationRisk } from "../../risk/app/registration-risk";
import {
  activateUser,
  createUser,
  deleteUser,
  expireUnverifiedUser,
  getUser,
  listAuditEvents,
  sendEmailCode,
  setUserDisabled,
} from "../../users/app/user-admin";
import { canSignIn, type User } from "../domain/user";
import type { AuthDeps } from "./dependencies";

// A use case with its dependencies given.
const bind =
  <D, A extends unknown[], R>(deps: D, useCase: (deps: D, ...args: A) => R) =>
  (...args: A): R =>
    useCase(deps, ...args);

// The auth service's one application object: every use case, bound to the dependencies the
// composition root (server.ts) built. Every entry point — the Connect handlers, the OpenID
// provider and its hosted pages, the account console — calls these, so a rule (a limit, a
// lockout, an audit event, who may sign in) holds whichever door a caller comes through.
// Bearer methods take the access token itself; reading it from a header is the ports' job.
export function createAuthApplication(deps: AuthDeps, settings: { oauthResourceServers: string[] }) {
  return {
    // Registration
    register: bind(deps, register),
    // Sessions
    login: bind(deps, login),
    // Login's rules, and its second step's, without opening a session: the OpenID provider's sign-in page.
    passwordStep: bind(deps, passwordStep),
    answerChallenge: bind(deps, answerChallenge),
    refresh: bind(deps, refresh),
    logout: bind(deps, logout),
    listSessions: bind(deps, listSessions),
    revokeSession: bind(deps, revokeSession),
    signOutEverywhere: bind(deps, signOutEverywhere),
    // "This was not me": a new sign-in's notice's link.
    endSessionsByNotice: bind(deps, endSessionsByNotice),
    // Second factors
    completeLogin: bind(deps, completeLogin),
    startStepUp: bind(deps, startStepUp),
    startTotpEnrollment: bind(deps, startTotpEnrollment),
    confirmTotpEnrollment: bind(deps, confirmTotpEnrollment),
    listFactors: bind(deps, listFactors),
    removeFactor: bind(deps, removeFactor),
    regenerateRecoveryCodes: bind(deps, regenerateRecoveryCodes),
    // Passkeys
    startPasskeyRegistration: bind(deps, startPasskeyRegistration),
    finishPasskeyRegistration: bind(deps, finishPasskeyRegistration),
    startPasskeyLogin: bind(deps, startPasskeyLogin),
    // Ends every access a user has (first-party sessions and the provider's grants), audited: a
    // refresh token or code replayed at the provider's token endpoint.
    endAllAccess: (userId: string, reason: string, caller: Caller, audit: AuditRecord[]) =>
      deps.sessions.endAll(userId, reason, caller, audit),
    // The user an app's token speaks for, while that user may sign in.
    signInAccount: async (userId: string): Promise<User | undefined> => {
      const user = await deps.users.findById(userId);
      return user !== undefined && canSignIn(user) ? user : undefined;
    },
    // Email verification and passwords
    verifyEmail: bind(deps, verifyEmail),
    resendVerificationEmail: bind(deps, resendVerificationEmail),
    requestPasswordReset: bind(deps, requestPasswordReset),
    resetPassword: bind(deps, resetPassword),
    changePassword: bind(deps, changePassword),
    // The apps a user allowed (OAuth grants)
    listAppGrants: bind(deps, listAppGrants),
    revokeAppGrant: bind(deps, revokeAppGrant),
    // Operators: OAuth clients
    createOAuthClient: bind({ ...deps, resourceServers: settings.oauthResourceServers }, createOAuthClient),
    getOAuthClient: bind(deps, getOAuthClient),
    deleteOAuthClient: bind(deps, deleteOAuthClient),
    listOAuthClients: bind(deps, listOAuthClients),
    // Operators and the workflows' activities: users
    createUser: bind(deps, createUser),
    activateUser: bind(deps, activateUser),
    getUser: bind(deps.users, getUser),
    deleteUser: bind(deps.users, deleteUser),
    sendEmailCode: bind(deps, sendEmailCode),
    expireUnverifiedUser: bind(deps.users, expireUnverifiedUser),
    setUserDisabled: bind(deps, setUserDisabled),
    resetFactors: bind(deps, resetFactors),
    listAuditEvents: bind(deps, listAuditEvents),
    // The registration saga's first step.
    assessRegistrationRisk: bind(deps, assessRegistrationRisk),
    // An event of a request a port answered itself (the provider's sign-out, a consent).
    recordAudit: (caller: Caller, audit: AuditRecord[]) => deps.audit.record(caller, audit),
  };
}

export type AuthApplication = ReturnType<typeof createAuthApplication>;
