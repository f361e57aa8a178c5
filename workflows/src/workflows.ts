// The workflow bundle's entry point: every workflow the worker hosts.
export { emailVerificationWorkflow } from "./email-verification/workflow";
export { passwordChangedNoticeWorkflow, passwordResetWorkflow } from "./password-reset/workflow";
export { registrationWorkflow } from "./registration/workflow";
export { securityNoticeWorkflow } from "./security-notice/workflow";
