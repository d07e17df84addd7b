/** Thrown for a bad control-API request; the simulator answers it with 400. */
export class SimulatorConfigError extends Error {}
