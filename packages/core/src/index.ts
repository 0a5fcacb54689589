/**
 * `@vx/core`: what every vx model stands on. Units and their parser, the `VxError` type and schema
 * helpers, seeded random streams, the discrete-event kernel, max-min fluid sharing of resources,
 * and metrics.
 *
 * @packageDocumentation
 */
export type { LogNormalParams, WeightedSampler, ZipfSampler } from "./distributions.js";
export { logNormalParams, weightedSampler, zipfSampler } from "./distributions.js";
export type { VxErrorOptions, VxIssue, VxPath } from "./errors.js";
export { ensure, formatPath, VxError } from "./errors.js";
export type {
  ActivityOptions,
  ActivityOutcome,
  ActivityStatus,
  FluidOptions,
  FluidSink,
  ResourceOptions,
} from "./fluid.js";
export { Activity, FluidSystem, Resource } from "./fluid.js";
export type {
  AnyOfResult,
  AwaitableState,
  EventHandle,
  ProcessBody,
  RunOptions,
  RunSummary,
  Yieldable,
} from "./kernel.js";
export { Awaitable, Interrupt, Process, Signal, Simulation, Timeout } from "./kernel.js";
export type {
  Clock,
  CounterJSON,
  GaugeJSON,
  HistogramJSON,
  Metric,
  MetricJSON,
  MetricKind,
  TimeSeriesJSON,
} from "./metrics.js";
export { Counter, Histogram, Metrics, TimeSeries, TimeWeightedGauge } from "./metrics.js";
export type { RandomStream } from "./random.js";
export { createRandom } from "./random.js";
export type { ParseWithOptions, QuantitySchemaOptions } from "./schema.js";
export {
  bytesSchema,
  durationSchema,
  issuesFromZod,
  parseWith,
  percentSchema,
  rateSchema,
} from "./schema.js";
export type { ClosestMatchOptions } from "./suggest.js";
export { CLOSEST_MATCH_DEFAULTS, closestMatch } from "./suggest.js";
export type { TableAlign, TableOptions } from "./table.js";
export { formatTable, TABLE_DEFAULTS } from "./table.js";
export type {
  FormatBytesOptions,
  FormatOptions,
  FormatRateOptions,
  Quantity,
  QuantityKind,
} from "./units.js";
export {
  Bps,
  bps,
  bytes,
  days,
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  GB,
  GBps,
  Gbps,
  GiB,
  GiBps,
  hours,
  KiB,
  KiBps,
  kB,
  kBps,
  kbps,
  MB,
  MBps,
  Mbps,
  MiB,
  MiBps,
  minutes,
  ms,
  ns,
  PB,
  PiB,
  parseBytes,
  parseDuration,
  parsePercent,
  parseQuantity,
  parseRate,
  percent,
  seconds,
  TB,
  TBps,
  Tbps,
  TiB,
  TiBps,
  us,
} from "./units.js";
