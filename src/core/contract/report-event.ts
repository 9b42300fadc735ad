/** The EventBridge event a game day's report travels in: the state machine puts it, the store rule matches it. */
export const REPORT_EVENT = { source: "gameday", detailType: "Game Day Report" } as const;
