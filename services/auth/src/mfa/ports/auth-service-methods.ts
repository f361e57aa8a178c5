import type { HandlerContext } from "@connectrpc/connect";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import type { Caller } from "../../audit/domain/audit";
import type { AuthApplication } from "../../kernel/app/application";
import { tokenPairToProto } from "../../kernel/ports/token-pair";
import { answerFromProto, challengeToProto, factorToProto } from "./translate";
import type { CompletedSignIn } from "../app/second-step";

// AuthService's second-factor and passkey methods (kernel/ports/auth-service.ts serves them with the rest).
export function secondFactorMethods(
  app: AuthApplication,
  caller: (ctx: HandlerContext) => Caller,
  accessTokenOf: (ctx: HandlerContext) => string,
) {
  const completed = (signIn: CompletedSignIn) =>
    "refreshToken" in signIn ? tokenPairToProto(signIn) : tokenPairToProto({ ...signIn, refreshToken: "", refreshExpiresIn: 0 });
  return {
    completeLogin: (req: { challengeId: string; factor: Parameters<typeof answerFromProto>[0] }, ctx: HandlerContext) =>
      translatingErrors(async () =>
        completed(await app.completeLogin({ challengeId: req.challengeId, answer: answerFromProto(req.factor) }, caller(ctx))),
      ),
    startStepUp: (_req: unknown, ctx: HandlerContext) =>
      translatingErrors(async () => ({ mfaChallenge: challengeToProto(await app.startStepUp(accessTokenOf(ctx))) })),
    startTotpEnrollment: (_req: unknown, ctx: HandlerContext) => translatingErrors(() => app.startTotpEnrollment(accessTokenOf(ctx))),
    confirmTotpEnrollment: (req: { enrollmentId: string; code: string }, ctx: HandlerContext) =>
      translatingErrors(async () => {
        const { factor, recoveryCodes } = await app.confirmTotpEnrollment(accessTokenOf(ctx), req, caller(ctx));
        return { factor: factorToProto(factor), recoveryCodes };
      }),
    listFactors: (_req: unknown, ctx: HandlerContext) =>
      translatingErrors(async () => {
        const { factors, recoveryCodesLeft } = await app.listFactors(accessTokenOf(ctx));
        return { factors: factors.map(factorToProto), recoveryCodesLeft };
      }),
    removeFactor: (req: { factorId: string }, ctx: HandlerContext) =>
      translatingErrors(async () => {
        await app.removeFactor(accessTokenOf(ctx), req, caller(ctx));
        return {};
      }),
    regenerateRecoveryCodes: (_req: unknown, ctx: HandlerContext) =>
      translatingErrors(() => app.regenerateRecoveryCodes(accessTokenOf(ctx), caller(ctx))),
    startPasskeyRegistration: (_req: unknown, ctx: HandlerContext) =>
      translatingErrors(() => app.startPasskeyRegistration(accessTokenOf(ctx))),
    finishPasskeyRegistration: (req: { responseJson: string; name: string }, ctx: HandlerContext) =>
      translatingErrors(async () => {
        const { factor, recoveryCodes } = await app.finishPasskeyRegistration(accessTokenOf(ctx), req, caller(ctx));
        return { factor: factorToProto(factor), recoveryCodes };
      }),
    startPasskeyLogin: (req: { email: string }, ctx: HandlerContext) =>
      translatingErrors(async () => {
        const ticket = await app.startPasskeyLogin(req, caller(ctx));
        return { challengeId: ticket.id, optionsJson: ticket.webauthnOptionsJson ?? "" };
      }),
  };
}
