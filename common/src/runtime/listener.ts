import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import type { DescService } from "@bufbuild/protobuf";
import { createContextValues, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { HealthService, healthRoutes, type HealthStatus } from "./health";
import type { Duplex } from "node:stream";
import { http2Socket } from "./http2-socket";
import type { Logger } from "../observability/logger";
import { reflectionRoutes } from "./reflection";
import { peerKey, type Peer } from "../observability/request-context";
import type { TlsFiles } from "./tls-files";
import { requestLogInterceptor } from "../observability/request-log";

// Requests larger than this are refused with RESOURCE_EXHAUSTED before they are parsed. Our
// largest legitimate message (an UpdateProfile with a full bio) is a few kilobytes.
export const MAX_REQUEST_BYTES = 64 * 1024;

// Connection limits. A connection must send its first bytes within FIRST_BYTE_TIMEOUT_MS (the
// protocol sniffer below waits for them) and is closed after IDLE_TIMEOUT_MS without a byte either
// way; gRPC clients reconnect when they next call. Headers are bounded on both protocols, and an
// HTTP/2 connection may carry at most MAX_CONCURRENT_STREAMS calls at once.
export const CONNECTION_LIMITS = {
  firstByteTimeoutMs: 10_000,
  idleTimeoutMs: 5 * 60_000,
  headersTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
  maxConcurrentStreams: 100,
};

// A plain HTTP handler, as Connect's node adapter calls it for paths that are not RPCs.
export type HttpHandler = NonNullable<Parameters<typeof connectNodeAdapter>[0]["fallback"]>;

// A plain HTTP handler served for every path that starts with `prefix` (the JWKS, the payload codec).
export interface HttpMount {
  prefix: string;
  handler: HttpHandler;
}

export interface ListenerOptions {
  name: string;
  host: string;
  port: number;
  log: Logger;
  services: DescService[];
  routes: (router: ConnectRouter) => void;
  health: HealthStatus;
  interceptors?: Interceptor[];
  mounts?: HttpMount[];
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  // Mutual TLS (an internal listener with INTERNAL_TLS_DIR): a connection is accepted only from a
  // client whose certificate the CA signed, and the certificate's name is the peer's.
  tls?: TlsFiles;
}

export interface Listener {
  port: number;
  url: string;
  // Stops accepting connections and lets the calls in flight finish for up to graceMs, then
  // closes every connection.
  close(graceMs?: number): Promise<void>;
}

const HTTP2_PREFACE_START = Buffer.from("PRI");

// One port serves gRPC and Connect over cleartext HTTP/2, and Connect and plain GETs over
// HTTP/1.1, so that `curl` works without --http2-prior-knowledge. The first bytes of a connection
// tell the two apart: an HTTP/2 client opens with "PRI * HTTP/2.0". Over TLS, ALPN tells them apart.
export async function startListener(options: ListenerOptions): Promise<Listener> {
  const limits = {
    ...CONNECTION_LIMITS,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? CONNECTION_LIMITS.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? CONNECTION_LIMITS.idleTimeoutMs,
  };
  const connect = connectNodeAdapter({
    routes: (router) => {
      options.routes(router);
      healthRoutes(
        options.health,
        options.services.map((s) => s.typeName),
      )(router);
      reflectionRoutes([...options.services, HealthService])(router);
    },
    interceptors: [requestLogInterceptor(options.log), ...(options.interceptors ?? [])],
    readMaxBytes: MAX_REQUEST_BYTES,
    fallback: notFound,
    contextValues: (req) =>
      createContextValues().set(peerKey, {
        ...("stream" in req ? peerOfSession.get(req.stream.session as http2.ServerHttp2Session) : peerOf(req.socket)),
        userAgent: req.headers["user-agent"],
      }),
  });

  let draining = false;
  let inFlight = 0;
  const mountOf = mountFinder(options.mounts ?? []);
  const handler: HttpHandler = (req, res) => {
    inFlight++;
    // A connection that asks during the drain is told not to come back on this connection.
    if (draining && "setHeader" in res && req.httpVersionMajor === 1) res.setHeader("connection", "close");
    res.once("close", () => inFlight--);
    // A mounted path (the OpenID provider, the JWKS, …) goes straight to its handler, without
    // Connect's routing first.
    (mountOf(req) ?? connect)(req, res);
  };

  const h1 = http.createServer(
    { maxHeaderSize: limits.maxHeaderBytes, headersTimeout: limits.headersTimeoutMs, requestTimeout: 60_000 },
    handler,
  );
  const h2 = http2.createServer(
    { settings: { maxConcurrentStreams: limits.maxConcurrentStreams, maxHeaderListSize: limits.maxHeaderBytes } },
    handler,
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  // Node's HTTP/2 session wraps the stream it is handed (http2-socket.ts) in a socket of its own,
  // which knows no peer: each session's peer is kept here, as it was handed over.
  const peerOfSession = new WeakMap<http2.ServerHttp2Session, Peer>();
  let connectingPeer: Peer = {};
  h2.on("session", (session) => {
    peerOfSession.set(session, connectingPeer);
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  const sockets = new Set<net.Socket>();
  const unsniffed = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      unsniffed.delete(socket);
    });
  };
  const toHttp2 = (socket: net.Socket, stream: Duplex) => {
    // The session is made (and "session" emitted) within this call.
    connectingPeer = peerOf(socket);
    h2.emit("connection", stream);
    connectingPeer = {};
  };
  // noDelay: an RPC's answer is a few small writes; with Nagle's algorithm each one waits for the
  // peer's delayed ACK (~40 ms per call on loopback).
  const server =
    options.tls === undefined
      ? net.createServer({ noDelay: true }, (socket) => {
          track(socket);
          unsniffed.add(socket);
          socket.setTimeout(limits.firstByteTimeoutMs, () => socket.destroy());
          socket.once("data", (chunk: Buffer) => {
            unsniffed.delete(socket);
            socket.setTimeout(limits.idleTimeoutMs);
            socket.pause();
            if (chunk.subarray(0, 3).equals(HTTP2_PREFACE_START)) {
              toHttp2(socket, http2Socket(socket, chunk));
            } else {
              // Node's HTTP/1 server picks up bytes put back on the socket.
              socket.unshift(chunk);
              h1.emit("connection", socket);
              socket.resume();
            }
          });
        })
      : tls.createServer(
          {
            ...options.tls,
            requestCert: true,
            rejectUnauthorized: true,
            minVersion: "TLSv1.2",
            ALPNProtocols: ["h2", "http/1.1"],
            handshakeTimeout: limits.firstByteTimeoutMs,
          },
          (socket) => {
            socket.setNoDelay(true);
            socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
            if (socket.alpnProtocol === "h2") toHttp2(socket, socket);
            else h1.emit("connection", socket);
          },
        );
  // Over TLS the TCP socket is tracked from its first byte, so a close does not wait on handshakes.
  if (options.tls !== undefined) server.on("connection", track);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `${options.tls === undefined ? "http" : "https"}://${options.host === "0.0.0.0" ? "localhost" : options.host}:${port}`;
  options.log.info({ listener: options.name, url }, "listening");

  async function drain(graceMs: number): Promise<void> {
    draining = true;
    for (const socket of unsniffed) socket.destroy();
    // GOAWAY: HTTP/2 clients open no new streams here, and each session ends with its last stream.
    for (const session of sessions) session.close();
    const deadline = Date.now() + graceMs;
    while (inFlight > 0 && Date.now() < deadline) {
      h1.closeIdleConnections();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (inFlight > 0) options.log.warn({ listener: options.name, inFlight }, "drain deadline passed; closing calls still in flight");
  }

  return {
    port,
    url,
    async close(graceMs = 0) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await drain(graceMs);
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

// The peer's address and, over mutual TLS, the name (CN) its certificate gives it.
function peerOf(socket: net.Socket): Peer {
  if (!(socket instanceof tls.TLSSocket)) return { address: socket.remoteAddress };
  const name = socket.getPeerCertificate().subject?.CN;
  return { address: socket.remoteAddress, ...(typeof name === "string" ? { certificateName: name } : {}) };
}

function mountFinder(mounts: HttpMount[]): (req: Parameters<HttpHandler>[0]) => HttpHandler | undefined {
  return (req) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    return mounts.find((m) => path.startsWith(m.prefix))?.handler;
  };
}

// The answer for a path that is neither an RPC nor a plain HTTP path of the listener.
export const notFound: HttpHandler = (_req, res) => {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ code: "not_found", message: "no such path" }));
};
