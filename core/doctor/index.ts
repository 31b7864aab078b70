export type { CheckName, CheckResult, DoctorNames } from './check-result.ts';
export type { DoctorClients, DoctorOptions, DoctorReport } from './run-doctor.ts';
export { runDoctor } from './run-doctor.ts';
