import type { ActivityOptions, LocalActivityOptions } from "@temporalio/workflow";

// How the workflows call an activity that sends mail: retried for up to an hour, then the
// workflow gives up on that one mail and goes on (a user can ask for another), so a broken mail
// server cannot hold a deadline back. The same options serve a mail sent as a local activity
// (email-verification/workflow.ts). Workflow code reads this file: types and constants only.
export const MAIL_ACTIVITY_OPTIONS = {
  startToCloseTimeout: "30 seconds",
  scheduleToCloseTimeout: "1 hour",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes" },
} as const satisfies ActivityOptions & LocalActivityOptions;
