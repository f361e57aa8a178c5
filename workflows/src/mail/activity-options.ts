import type { ActivityOptions } from "@temporalio/workflow";

// How the workflows call an activity that sends mail: retried for up to an hour, then the
// workflow gives up on that one mail and goes on (a user can ask for another), so a broken mail
// server cannot hold a deadline back. Workflow code reads this file: types and constants only.
export const MAIL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: "30 seconds",
  scheduleToCloseTimeout: "1 hour",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes" },
};
