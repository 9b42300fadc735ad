/** One line of a game day's cost: what was used, how much, and what it costs at list price. */
export interface CostItem {
  service: string;
  unit: string;
  quantity: number;
  usd: number;
}

/** What a game day cost, item by item: a report carries it (a type of its own, so the report model imports nothing). */
export interface GameDayCost {
  totalUsd: number;
  items: CostItem[];
  /** How the quantities were arrived at: a reader must know an estimate from a bill. */
  basis: string;
}
