import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { clientTracingInterceptor } from "@flowshield/common/observability/rpc-tracing";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Logger } from "@flowshield/common/observability/logger";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";

// The `profile` scope's claims (preferred_username, name) come from the profile service: a read
// of the user's profile by id, kept for a short while so that a burst of userinfo calls makes one
// read. The profile service being down or slow is not the provider's failure: the claims are then
// left out, and userinfo answers with auth's own (sub, email, email_verified).
export interface ProfileClaims {
  preferred_username?: string;
  name?: string;
}

export function profileClaimsReader(options: { profileUrl: string; cacheMs: number; timeoutMs: number; log: Logger }) {
  const profiles = createClient(
    ProfileService,
    createGrpcTransport({ baseUrl: options.profileUrl, interceptors: [clientTracingInterceptor()] }),
  );
  const cache = new Map<string, { claims: ProfileClaims; until: number }>();
  return async (userId: string): Promise<ProfileClaims> => {
    const cached = cache.get(userId);
    if (cached !== undefined && cached.until > Date.now()) return cached.claims;
    try {
      const { profile } = await profiles.getProfile({ lookup: { case: "userId", value: userId } }, { timeoutMs: options.timeoutMs });
      const claims = profile === undefined ? {} : { preferred_username: profile.username, name: profile.displayName };
      cache.set(userId, { claims, until: Date.now() + options.cacheMs });
      // Bounded: the oldest entries go first.
      if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
      return claims;
    } catch (err) {
      // No profile (a registration still running): no claims, and nothing to warn about.
      if (ConnectError.from(err).code !== Code.NotFound)
        options.log.warn({ err: { message: ConnectError.from(err).message } }, "profile claims unavailable; answering without them");
      return {};
    }
  };
}
