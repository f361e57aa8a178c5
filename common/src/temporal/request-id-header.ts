// The Temporal header that carries a call's request id from the client that starts a workflow to
// the workflow, and from the workflow to each activity. Headers are plain (not payload-encrypted):
// a request id is no secret. No imports: workflow code reads this file.
export const REQUEST_ID_TEMPORAL_HEADER = "flowshield-request-id";
