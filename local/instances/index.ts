export { localInstanceId } from './instance-id.ts';
export type {
  FleetTiming,
  LocalFleet,
  LocalFleetOptions,
  LocalInstance,
  LocalInstanceSpec,
} from './local-fleet.ts';
export { createLocalFleet, FLEET_MARKER, INSTANCE_MARKER } from './local-fleet.ts';
