import type { LogLevel, LogMetadata, Logger as TemporalLogger } from "@temporalio/common";
import type { Logger } from "@flowshield/common/observability/logger";

const LEVELS: Record<LogLevel, "trace" | "debug" | "info" | "warn" | "error"> = {
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
};

// The Temporal SDK's own log lines (the worker's state, its workflows' and activities' `log`)
// written through pino, so that everything a process prints is one JSON format.
export function temporalLoggerFor(log: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => log[LEVELS[level]]({ ...meta, temporal: true }, message);
  return {
    log: write,
    trace: (message, meta) => write("TRACE", message, meta),
    debug: (message, meta) => write("DEBUG", message, meta),
    info: (message, meta) => write("INFO", message, meta),
    warn: (message, meta) => write("WARN", message, meta),
    error: (message, meta) => write("ERROR", message, meta),
  };
}
