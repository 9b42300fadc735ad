/**
 * How the simulated FIS words an action it skipped because the rehearsal cannot simulate it (no model, or a custom
 * document nobody declared). The verdict reads it: a hypothesis tested without that part of the fault is not
 * judged, as it would be if AWS had skipped the action for an empty target.
 */
export const NOT_SIMULATED_REASON = "Not modeled by the gameday simulator";
