/** Public API of the routing solver (pure: no I/O beyond optional worker threads). */
export type { ClientInput, DepotInput, ProblemInput, TimeWindowInput, VehicleTypeInput } from './model/types.ts';
export { ProblemData, ProblemDataError } from './model/problem.ts';
export { solve, solveSync } from './routing/solve.ts';
export type { DayResult, RouteResult, SolveOptions, SolveProgress, SolveResult, StopResult, Unassigned, UnassignedReason } from './routing/solve.ts';
export { checkSolution } from './routing/checker.ts';
export type { CheckReport, CheckedRoute, CheckedSolution, Violation, ViolationCode } from './routing/checker.ts';
export { defaultParams, type HgsParams } from './routing/params.ts';
export { readCvrplib, readCvrplibSolution, type CvrplibInstance, type CvrplibSolution } from './io/cvrplib.ts';
export { readSolomon, SOLOMON_VEHICLE_COST, type SolomonInstance, type SolomonOptions } from './io/solomon.ts';
export { readJsonProblem, writeJsonProblem } from './io/json.ts';
export { FormatError } from './io/errors.ts';
