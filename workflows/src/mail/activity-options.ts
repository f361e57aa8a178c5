import type { ActivityOptions, LocalActivityOptions } from "@temporalio/workflow";

// How the workflows call an activity that sends mail: retried for up to an hour, then the
// workflow gives up on that one mail and goes on (a user can ask for another), so a broken mail
// server cannot hold a deadline back. Workflow code reads this file: types and constants only.
export const MAIL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: "30 seconds",
  scheduleToCloseTimeout: "1 hour",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes" },
};

// The same, for a mail sent as a local activity (email-verification/workflow.ts), with every
// retry after a server timer rather than within the worker: the SDK retries a local activity that
// its stopping worker cancelled, and retried within the worker (its default below a minute of
// backoff) those retries held the worker's shutdown for a minute. With a timer the workflow task
// ends, the worker stops, and the next one sends the mail.
export const MAIL_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: MAIL_ACTIVITY_OPTIONS.startToCloseTimeout,
  scheduleToCloseTimeout: MAIL_ACTIVITY_OPTIONS.scheduleToCloseTimeout,
  retry: MAIL_ACTIVITY_OPTIONS.retry,
  localRetryThreshold: "100 milliseconds",
};
