import type { Kysely } from "kysely";
import type { BlockList } from "node:net";
import Provider, { errors, type Configuration, type FindAccount, type KoaContextWithOIDC } from "oidc-provider";
import { derivedKey } from "@flowshield/common/crypto/derived-key";
import type { Logger } from "@flowshield/common/observability/logger";
import { matchesSecret, sha256 } from "@flowshield/common/crypto/secret-digest";
import type { AuditRecord } from "../../audit/domain/audit";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";
import type { AuthApplication } from "../../kernel/app/application";
import { callerOfHttp } from "../../kernel/ports/caller";
import { logoutPage, messagePage, pageHeaders } from "../../kernel/ports/pages/html";
import { hashClientSecret } from "../adapters/clients";
import { purgeExpiredOidcPayloads } from "../adapters/db/oidc-store";
import type { ProfileClaims } from "../adapters/profile-claims";
import { oidcStorage } from "../adapters/storage";
import type { ClientCache } from "../adapters/client-cache";
import { ACR_VALUES, assurancePolicy } from "./assurance-policy";

// The OpenID provider (oidc-provider, panva) mounted under /oidc of the auth service's public
// listener (oidc-endpoint.ts): an entry point like the RPCs, calling the application object for
// accounts and the audit trail. The library speaks the protocol; this file gives it what it
// leaves to its host: storage (adapters/storage.ts), keys (adapters/keys.ts), accounts, the
// resource servers, hashed client secrets (adapters/clients.ts), and the logout pages.
export const OIDC_PREFIX = "/oidc";

export interface OidcSettings {
  // Where clients reach the auth service (scheme, host, port): the issuer is PUBLIC_URL + /oidc.
  publicUrl: string;
  // The resource servers that take the provider's JWT access tokens (resource indicators).
  resourceServers: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  // How long concurrent refreshes with one token are losers, not replays (REFRESH_REUSE_GRACE_MS).
  refreshReuseGraceMs: number;
}

export interface RunningOidcProvider {
  provider: Provider;
  close(): void;
}

export function startOidcProvider(options: {
  // Who may sign in; the audit trail; a replay ending all of a user's access.
  app: Pick<AuthApplication, "signInAccount" | "recordAudit" | "endAllAccess">;
  db: Kysely<AuthDatabase>;
  // The clients this process has read (shared with OAuthClientAdminService's deletions).
  clientCache: ClientCache;
  profileClaims: (userId: string) => Promise<ProfileClaims>;
  settings: OidcSettings;
  privateJwks: Configuration["jwks"];
  // Cookie signing keys are derived from this secret (the signing key's), so replicas agree.
  // The first signs cookies; every one verifies them.
  cookieSecrets: Uint8Array[];
  // The callers of audit events are read from requests through these (X-Forwarded-For).
  trustedProxies: BlockList;
  log: Logger;
}): RunningOidcProvider {
  const { settings } = options;
  const findAccount: FindAccount = async (_ctx, sub) => {
    const user = await options.app.signInAccount(sub);
    if (user === undefined) return undefined;
    return {
      accountId: user.id,
      claims: async (_use, scope) => ({
        sub: user.id,
        email: user.email,
        email_verified: user.emailVerified,
        ...(scope.split(" ").includes("profile") ? await options.profileClaims(user.id) : {}),
      }),
    };
  };
  const provider = new Provider(`${settings.publicUrl}${OIDC_PREFIX}`, {
    adapter: oidcStorage(options.db, settings.refreshReuseGraceMs, options.clientCache),
    jwks: options.privateJwks,
    cookies: {
      keys: options.cookieSecrets.map((secret) => derivedKey(secret, "oidc cookies v1").toString("base64url")),
    },
    findAccount,
    extraClientMetadata: { properties: ["resources"] },
    // ID tokens always say what the sign-in proved (amr) and the assurance it reached (acr).
    claims: { openid: ["sub", "acr", "amr"], email: ["email", "email_verified"], profile: ["preferred_username", "name"] },
    scopes: ["openid", "offline_access", "email", "profile"],
    responseTypes: ["code"],
    pkce: { required: () => true },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256", "EdDSA"],
      userinfoSigningAlgValues: ["RS256", "EdDSA"],
      introspectionSigningAlgValues: ["RS256", "EdDSA"],
      authorizationSigningAlgValues: ["RS256", "EdDSA"],
    },
    rotateRefreshToken: true,
    // A request refused without redirecting back (an unknown client, a redirect URI it did not
    // register): the error and its description, never a stack.
    renderError: (ctx, out) => {
      ctx.set(pageHeaders());
      ctx.body = messagePage("Sign-in failed", `${out.error}${out.error_description !== undefined ? `: ${out.error_description}` : ""}`);
    },
    // The hosted login and consent pages (oauth/ports/oidc-endpoint.ts).
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}`, policy: assurancePolicy() },
    // What an ID token's acr can say (mfa/domain/factor.ts); acr_values asking aal2 sign in again.
    acrValues: ACR_VALUES,
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      ClientCredentials: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3_600,
      RefreshToken: settings.refreshTokenTtlSeconds,
      Grant: settings.refreshTokenTtlSeconds,
      Session: 14 * 86_400,
      Interaction: 3_600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client introspects and revokes only its own tokens (RFC 7662 §4): another client's token
      // is answered `active: false`, whoever asks. Resource servers take JWT access tokens and
      // verify them against the JWKS; they need no introspection.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const to = ctx.oidc.params?.post_logout_redirect_uri;
          const clientName = ctx.oidc.client?.clientName;
          ctx.set(pageHeaders(typeof to === "string" ? to : undefined));
          ctx.body = logoutPage({ form, ...(clientName !== undefined ? { clientName } : {}) });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.set(pageHeaders());
          ctx.body = messagePage("Signed out", "You are signed out of FlowShield.");
        },
      },
      registration: { enabled: false },
      deviceFlow: { enabled: false },
      // On by the library's default, off here: nothing of ours uses them, and a protocol surface
      // nobody tests is one nobody defends. DPoP (sender-constrained tokens) is worth turning on
      // deliberately, with a client library's test, when a client needs it (README, OAuth 2.0).
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // No resource asked for: an opaque access token for userinfo and introspection.
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        // A resource server the provider knows *and* the client was allowed (least privilege).
        getResourceServerInfo: (_ctx, indicator, client) => {
          const allowed = (client as unknown as { resources?: string[] }).resources ?? [];
          if (!settings.resourceServers.includes(indicator) || !allowed.includes(indicator)) throw new errors.InvalidTarget();
          return {
            scope: "",
            audience: indicator,
            accessTokenTTL: settings.accessTokenTtlSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "EdDSA" } },
          };
        },
      },
    },
  });
  // Behind a TLS proxy the provider reads its X-Forwarded-* headers (https, the host) — which reach
  // it only from TRUSTED_PROXIES (oauth/ports/oidc-endpoint.ts drops them from any other peer); PUBLIC_URL
  // decides the issuer.
  provider.proxy = true;
  const clientPrototype = provider.Client.prototype as unknown as { clientSecret?: string; compareClientSecret(actual: string): boolean };
  clientPrototype.compareClientSecret = function compare(this: { clientSecret?: string }, actual: string) {
    return matchesSecret(hashClientSecret(actual), sha256(this.clientSecret ?? ""));
  };
  provider.on("server_error", (_ctx, err) => options.log.error({ err }, "oidc server error"));

  // The audit trail: every token the token endpoint hands out, every revocation, and a replayed
  // refresh token (the provider revokes its grant while answering the token request).
  const audit = (ctx: KoaContextWithOIDC, type: AuditRecord["type"], detail: Record<string, string>) => {
    const userId = ctx.oidc.entities.Account?.accountId;
    options.app
      .recordAudit(callerOfHttp(ctx.req, options.trustedProxies), [
        { type, ...(userId !== undefined ? { userId } : {}), detail: { client_id: ctx.oidc.client?.clientId ?? "", ...detail } },
      ])
      .catch((err: unknown) => options.log.error({ err, type }, "writing an oidc audit event failed"));
  };
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status !== 200) return;
    if (ctx.oidc?.route === "token")
      audit(ctx as KoaContextWithOIDC, "oidc_token_issued", { grant_type: String(ctx.oidc.params?.grant_type ?? "") });
    if (ctx.oidc?.route === "revocation") audit(ctx as KoaContextWithOIDC, "oidc_token_revoked", {});
  });
  // A replay at the token endpoint (a refresh token used again after its grace, a code used twice):
  // the provider has revoked the grant; someone holds a copy, so the rest of the user's access
  // ends too, as a first-party refresh replay does.
  provider.on("grant.revoked", (ctx, grantId) => {
    if (ctx.oidc.route !== "token") return;
    const userId = ctx.oidc.entities.Account?.accountId;
    if (userId === undefined) return audit(ctx, "oidc_refresh_reused", { grant_id: grantId });
    const record: AuditRecord = {
      type: "oidc_refresh_reused",
      userId,
      detail: { client_id: ctx.oidc.client?.clientId ?? "", grant_id: grantId },
    };
    options.app
      .endAllAccess(userId, record.type, callerOfHttp(ctx.req, options.trustedProxies), [record])
      .catch((err: unknown) => options.log.error({ err }, "ending access after an oidc replay failed"));
  });

  // Expired codes, tokens, sessions and grants are deleted by the hour.
  const purge = setInterval(() => {
    purgeExpiredOidcPayloads(options.db).catch((err: unknown) => options.log.warn({ err }, "purging expired oidc rows failed"));
  }, 3_600_000);
  purge.unref();

  return {
    provider,
    close: () => clearInterval(purge),
  };
}
