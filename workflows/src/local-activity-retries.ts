import type { LocalActivityOptions } from "@temporalio/workflow";

// Every retry of a local activity after a server timer, never within the worker (the SDK's default
// below a minute of backoff). The SDK retries a local activity that its stopping worker cancelled,
// and retried within the worker those retries held the worker's shutdown as long as the activity
// kept failing (a mail server or a service down during a redeploy). With a timer the workflow
// task ends, the worker stops, and the next one runs the activity. The threshold is below every
// first backoff of ours (the saga's 500 ms, the mails' 1 s). Histories whose retries ran within
// the worker replay unchanged: an activity's result is its marker either way. Workflow code reads
// this file: types and constants only.
export const RETRIES_AFTER_A_TIMER: Pick<LocalActivityOptions, "localRetryThreshold"> = {
  localRetryThreshold: "100 milliseconds",
};
