import type { LoginResponse } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import type { TokenPair } from "../../sessions/app/sessions";

// The token fields LoginResponse, CompleteLoginResponse and RefreshTokenResponse share.
export function tokenPairToProto(pair: TokenPair): Omit<LoginResponse, "$typeName" | "$unknown" | "mfaChallenge"> {
  return {
    accessToken: pair.accessToken,
    tokenType: "Bearer",
    expiresIn: BigInt(pair.expiresIn),
    refreshToken: pair.refreshToken,
    refreshExpiresIn: BigInt(pair.refreshExpiresIn),
  };
}
