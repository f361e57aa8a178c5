import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { AppGrant, NewOAuthClient, OAuthClient } from "../domain/oauth-client";

// The OpenID provider's clients and grants, as the use cases see them (kernel/app/dependencies.ts
// gathers every capability's interfaces into AuthDeps); adapters/ implements them.

// The OpenID provider's clients (oauth/adapters/clients.ts).
export interface OAuthClients {
  // Stores the client; a confidential client's secret is made here, returned once, stored hashed.
  // The audit records (given the new client's id) are written in the same transaction.
  create(
    client: NewOAuthClient,
    caller: Caller,
    audit: (made: { clientId: string; name: string }) => AuditRecord[],
  ): Promise<{ client: OAuthClient; clientSecret?: string }>;
  find(clientId: string): Promise<OAuthClient | undefined>;
  delete(clientId: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
  // Oldest first, after the given client when paging.
  list(page: { after?: { time: Date; id: string }; limit: number }): Promise<OAuthClient[]>;
}

// The OpenID provider's grants, by user (oauth/adapters/app-grants.ts).
export interface AppGrants {
  // Most recent first.
  list(userId: string): Promise<AppGrant[]>;
  // Ends the grant of that client, and every token and code it holds for the user, with the audit
  // events, in one transaction.
  revoke(userId: string, clientId: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
}
