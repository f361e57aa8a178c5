import { checkCredentialStrength, rpcNames, workerCaller, type InternalCaller } from "@flowshield/common/runtime/service-credential";
import { OAuthClientAdminService } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";

// Who calls auth's internal listener, and what each may call. The worker runs the workflows'
// steps: it alone has a user's code mailed (SendEmailCode: auth mails it, no caller is answered
// one) and expires accounts; it cannot disable anyone, read the audit trail or touch OAuth
// clients. An operator administers users and clients and reads the audit trail.
export function authInternalCallers(credentials: {
  worker: string;
  workerPrevious?: string | undefined;
  operator?: string | undefined;
}): InternalCaller[] {
  if (credentials.operator !== undefined && [credentials.worker, credentials.workerPrevious].includes(credentials.operator))
    throw new Error("OPERATOR_CREDENTIAL must differ from SERVICE_CREDENTIAL: each caller has its own");
  return [
    workerCaller(
      credentials.worker,
      credentials.workerPrevious,
      rpcNames(
        UserAdminService,
        "assessRegistrationRisk",
        "createUser",
        "activateUser",
        "getUser",
        "deleteUser",
        "sendEmailCode",
        "expireUnverifiedUser",
      ),
    ),
    ...(credentials.operator === undefined
      ? []
      : [
          {
            name: "operator",
            credentials: [checkCredentialStrength(credentials.operator)],
            may: [
              ...rpcNames(
                UserAdminService,
                "createUser",
                "activateUser",
                "getUser",
                "deleteUser",
                "disableUser",
                "enableUser",
                "resetFactors",
                "listAuditEvents",
              ),
              ...rpcNames(OAuthClientAdminService, "createClient", "getClient", "deleteClient", "listClients"),
            ],
          },
        ]),
  ];
}
