# FlowShield's image: one image for every role, chosen by the command —
#   dist/auth.js (default), dist/profile.js, dist/worker.js, dist/migrate.js auth|profile.
# Build: `docker build -t flowshield:dev .` (where node:24-bookworm-slim cannot be pulled,
# deploy/local-images.sh builds a stand-in first; `make compose-test` does both).

# Every dependency, as `make install` installs them (npm install: see the Makefile on npm ci).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
COPY gen/package.json gen/
COPY common/package.json common/
COPY contracts/package.json contracts/
COPY services/auth/package.json services/auth/
COPY services/profile/package.json services/profile/
COPY workflows/package.json workflows/
COPY bench/package.json bench/
# Behind a TLS-inspecting proxy, its CA certificates (PEM) as a build argument: public
# certificates, never keys. The build stages trust them; the final image does not carry them
# (`make compose-test` passes the machine's /usr/local/share/ca-certificates).
ARG EXTRA_CA_CERTS=""
RUN printf '%s' "$EXTRA_CA_CERTS" > /usr/local/etc/extra-ca.pem
ENV NODE_EXTRA_CA_CERTS=/usr/local/etc/extra-ca.pem
RUN npm install --no-audit --no-fund --loglevel=error

# `make build`: one bundle per role and the prebuilt workflow bundle, under dist/.
FROM deps AS build
COPY . .
RUN node --import tsx scripts/build.ts

# What the bundles load at run time (bcrypt, the Temporal SDK, the risk engine's databases): the
# production dependencies only, of the Temporal core's prebuilt libraries only this platform's, and
# of the ASN ranges only the numeric files the auth service reads (risk/adapters/network-directory.ts).
FROM deps AS runtime-deps
RUN npm prune --omit=dev --no-audit --no-fund --loglevel=error \
 && keep="$(uname -m)-unknown-linux-gnu" \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} + \
 && rm -rf node_modules/@temporalio/core-bridge/sdk-core node_modules/@temporalio/core-bridge/src \
 && rm -f node_modules/@ip-location-db/asn/asn-ipv4.csv node_modules/@ip-location-db/asn/asn-ipv6.csv

FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# MALLOC_ARENA_MAX=2: glibc's malloc keeps up to 8 arenas a core for the threads that allocate
# (the Temporal SDK's Rust core, libuv's pool, V8's helpers), each holding freed memory of its own;
# two took ~15 MB off the worker's and auth's peaks at the same CPU per call (BENCHMARKS.md).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    AUTH_HOST=0.0.0.0 \
    PROFILE_HOST=0.0.0.0 \
    WORKER_HOST=0.0.0.0 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 8081 9081 9181 8082 9082 9182 9083 9183
# grpc.health.v1 of whichever role the container runs (services/healthcheck.ts).
HEALTHCHECK --interval=5s --timeout=4s --start-period=30s --retries=3 CMD ["node", "dist/healthcheck.js"]
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/auth.js"]
