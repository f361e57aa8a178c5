// The baseline for GetProfile: a bare connect-node server on plain h2c answering every call with
// one constant profile — no database, no logging, no interceptors, no protocol sniffing. What
// FlowShield's GetProfile costs beyond this is ours.
import * as http2 from "node:http2";
import { create } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { envInt } from "@flowshield/common/runtime/config";
import { HealthStatus, healthRoutes } from "@flowshield/common/runtime/health";
import { GetProfileResponseSchema, ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";

const answer = create(GetProfileResponseSchema, {
  profile: {
    id: "0b7c1f5e-8d0a-4c1e-9a8e-3f3b2f6d9c11",
    userId: "6f1d2c3b-4a5e-4f60-8b7a-1c2d3e4f5a6b",
    username: "bench-user",
    displayName: "Bench User",
    bio: "",
    createTime: { seconds: 1_700_000_000n, nanos: 0 },
    updateTime: { seconds: 1_700_000_000n, nanos: 0 },
  },
});

const handler = connectNodeAdapter({
  routes: (router) => {
    router.service(ProfileService, {
      getProfile: () => answer,
    });
    healthRoutes(new HealthStatus([ProfileService.typeName]), [ProfileService.typeName])(router);
  },
});

http2.createServer(handler).listen(envInt("BARE_PORT", 0), "127.0.0.1");
