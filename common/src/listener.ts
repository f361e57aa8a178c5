import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { healthRoutes } from "./health";
import { http2Socket } from "./http2-socket";
import type { Logger } from "./logger";
import { requestLogInterceptor } from "./request-log";

// Requests larger than this are refused with RESOURCE_EXHAUSTED before they are parsed. Our
// largest legitimate message (an UpdateProfile with a full bio) is a few kilobytes.
export const MAX_REQUEST_BYTES = 64 * 1024;

// A plain HTTP handler, as Connect's node adapter calls it for paths that are not RPCs.
export type HttpFallback = NonNullable<Parameters<typeof connectNodeAdapter>[0]["fallback"]>;

export interface ListenerOptions {
  name: string;
  host: string;
  port: number;
  log: Logger;
  services: DescService[];
  routes: (router: ConnectRouter) => void;
  interceptors?: Interceptor[];
  // Plain HTTP paths served beside the RPCs (the auth service's JWKS).
  fallback?: HttpFallback;
}

export interface Listener {
  port: number;
  url: string;
  close(): Promise<void>;
}

const HTTP2_PREFACE_START = Buffer.from("PRI");

// One port serves gRPC and Connect over cleartext HTTP/2, and Connect and plain GETs over
// HTTP/1.1, so that `curl` works without --http2-prior-knowledge. The first bytes of a connection
// tell the two apart: an HTTP/2 client opens with "PRI * HTTP/2.0".
export async function startListener(options: ListenerOptions): Promise<Listener> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      options.routes(router);
      healthRoutes(options.services.map((s) => s.typeName))(router);
    },
    interceptors: [requestLogInterceptor(options.log), ...(options.interceptors ?? [])],
    readMaxBytes: MAX_REQUEST_BYTES,
    fallback: options.fallback ?? notFound,
  });
  const h1 = http.createServer(handler);
  const h2 = http2.createServer(handler);
  const sockets = new Set<net.Socket>();
  // noDelay: an RPC's answer is a few small writes; with Nagle's algorithm each one waits for the
  // peer's delayed ACK (~40 ms per call on loopback).
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      if (chunk.subarray(0, 3).equals(HTTP2_PREFACE_START)) {
        h2.emit("connection", http2Socket(socket, chunk));
      } else {
        // Node's HTTP/1 server picks up bytes put back on the socket.
        socket.unshift(chunk);
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `http://${options.host === "0.0.0.0" ? "localhost" : options.host}:${port}`;
  options.log.info({ listener: options.name, url }, "listening");
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

// The answer for a path that is neither an RPC nor a plain HTTP path of the listener.
export const notFound: HttpFallback = (_req, res) => {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ code: "not_found", message: "no such path" }));
};
