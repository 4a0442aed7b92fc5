// What the API's retraining job needs from the model package (`@phytodiag/model/retrain`).
export { trainAndExport } from './train/train-and-export';
export { trainAndExportInThread, type ThreadTrained } from './node/train-thread';
export type { TrainAndExportInput } from './train/train-and-export';
export { newVersion } from './train/export-model';
export { gateModel, DEFAULT_TOLERANCES } from './train/gate';
export type { GateMetrics, GateReport, GateTolerances, GateCheck } from './train/gate';
export { rescoreVersion, withVanishedClasses } from './train/rescore';
export type { RescoreResult, RescoreRow } from './train/rescore';
export type { Metrics } from './train/metrics';
export type { ClassInfo, ClassKind } from './classifier-core';
export type { Sample } from './train/dataset';
export { splitOf } from './train/split';
/** Must be awaited once before training (TF.js WASM backend). */
export { initTf } from './node/tf-backend';
