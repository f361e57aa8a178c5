import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { CompleteLoginRequest } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import {
  FactorSchema,
  FactorType as ProtoFactorType,
  MfaChallengeSchema,
  type Factor as ProtoFactor,
  type MfaChallenge as ProtoMfaChallenge,
} from "@flowshield/gen/flowshield/auth/v1/factor_pb";
import type { ChallengeTicket, SecondStepAnswer } from "../app/second-step";
import type { Factor, SecondStepKind } from "../domain/factor";

// Pure translators between the second factors' domain and proto messages.

const KIND_TO_PROTO: Record<SecondStepKind, ProtoFactorType> = {
  totp: ProtoFactorType.TOTP,
  recovery_code: ProtoFactorType.RECOVERY_CODE,
  passkey: ProtoFactorType.PASSKEY,
};

export function factorToProto(factor: Factor): ProtoFactor {
  return create(FactorSchema, {
    id: factor.id,
    type: KIND_TO_PROTO[factor.type],
    name: factor.name,
    createTime: timestampFromDate(factor.createTime),
    ...(factor.lastUseTime !== undefined ? { lastUseTime: timestampFromDate(factor.lastUseTime) } : {}),
  });
}

export function challengeToProto(ticket: ChallengeTicket): ProtoMfaChallenge {
  return create(MfaChallengeSchema, {
    id: ticket.id,
    expireTime: timestampFromDate(ticket.expireTime),
    factors: ticket.kinds.map((k) => KIND_TO_PROTO[k]),
    webauthnOptionsJson: ticket.webauthnOptionsJson ?? "",
  });
}

// CompleteLogin's oneof, as the use case takes it; undefined when none was given.
export function answerFromProto(factor: CompleteLoginRequest["factor"]): SecondStepAnswer | undefined {
  switch (factor.case) {
    case "totpCode":
      return { kind: "totp", code: factor.value };
    case "recoveryCode":
      return { kind: "recovery_code", code: factor.value };
    case "webauthnAssertionJson":
      return { kind: "passkey", assertionJson: factor.value };
    default:
      return undefined;
  }
}
