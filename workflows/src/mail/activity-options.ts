import type { ActivityOptions, LocalActivityOptions } from "@temporalio/workflow";
import { RETRIES_AFTER_A_TIMER } from "../local-activity-retries";

// How the workflows call an activity that sends mail: retried for up to an hour, then the
// workflow gives up on that one mail and goes on (a user can ask for another), so a broken mail
// server cannot hold a deadline back. Workflow code reads this file: types and constants only.
export const MAIL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: "30 seconds",
  scheduleToCloseTimeout: "1 hour",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes" },
};

// The same, for a mail sent as a local activity (email-verification/workflow.ts), each retry after
// a server timer (local-activity-retries.ts says why).
export const MAIL_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: MAIL_ACTIVITY_OPTIONS.startToCloseTimeout,
  scheduleToCloseTimeout: MAIL_ACTIVITY_OPTIONS.scheduleToCloseTimeout,
  retry: MAIL_ACTIVITY_OPTIONS.retry,
  ...RETRIES_AFTER_A_TIMER,
};
