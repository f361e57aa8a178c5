import type { NativeConnection } from "@temporalio/worker";
import { temporal } from "@temporalio/proto";
import { RISK_LEVEL_SEARCH_ATTRIBUTE } from "@flowshield/contracts/registration";

// The custom search attributes the workflows set, registered in the worker's namespace before it
// polls: a workflow that sets one the namespace lacks fails its task until someone registers it,
// so the worker does it, wherever it runs (the dev server, the CQL cluster, compose, Kubernetes),
// instead of one script per place. Registering one that exists is refused; that is fine.
// gRPC's ALREADY_EXISTS: another worker registered it meanwhile.
const ALREADY_EXISTS = 6;

const SEARCH_ATTRIBUTES = { [RISK_LEVEL_SEARCH_ATTRIBUTE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD };

export async function ensureSearchAttributes(connection: NativeConnection, namespace: string): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => customAttributes?.[name] === undefined);
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) });
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
}
