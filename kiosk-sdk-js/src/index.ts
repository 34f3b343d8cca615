/** Kiosk telemetry SDK (TypeScript): the same concepts and guarantees as the Java SDK (kiosk-sdk/). */
export { KioskTelemetry } from './telemetry';
export type { KioskOptions } from './telemetry';
export { EventBuffer, DEFAULT_SETTINGS } from './buffer';
export type { BufferSettings, Count, DeliveryListener, DropReason, Health } from './buffer';
export { Session, SessionManager, FUNNEL_STAGES } from './session';
export type { FunnelStage, SessionStatus, TerminalStatus } from './session';
export { ErrorTracker, PerformanceTracker, SalesRecorder, Sale, Timer } from './trackers';
export type { ErrorCategory, MetricType, PaymentMethod, Severity } from './trackers';
export { MemoryJournal } from './journal';
export type { CommitBatch, Delivery, Journal, Kind, Opened, SessionState, Snapshot } from './journal';
export { IndexedDbJournal } from './journal-indexeddb';
export { FetchTransport } from './transport';
export type { Reply, Transport } from './transport';
export { TimeSource } from './time';
export { assignVariant, checkExperiment, variantHash, variantPosition } from './variants';
export type { Experiment, ExperimentUnit } from './variants';
export { distanceToTarget, gestureProperties, hitResult, nearestTarget, tapProperties } from './taps';
export type { HitResult, Layout, Target } from './taps';
