export { VxError, ensure, formatPath } from "./errors.js";
export type { VxErrorOptions, VxIssue, VxPath } from "./errors.js";
export { Simulation, Awaitable, Timeout, Signal, Process, Interrupt } from "./kernel.js";
export type { EventHandle, Yieldable, ProcessBody, AwaitableState, AnyOfResult, RunOptions, RunSummary } from "./kernel.js";
export { FluidSystem, Resource, Activity } from "./fluid.js";
export type { ActivityOptions, ActivityOutcome, ActivityStatus, FluidOptions, ResourceOptions } from "./fluid.js";
export { Counter, Histogram, Metrics, TimeSeries, TimeWeightedGauge } from "./metrics.js";
export type { Clock, CounterJSON, GaugeJSON, HistogramJSON, Metric, MetricJSON, MetricKind, TimeSeriesJSON } from "./metrics.js";
