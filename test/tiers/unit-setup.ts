import { vi } from "vitest";

// The unit tier must stay well under a minute: a test that rehearses a whole game day belongs to the rehearsal
// tier (vitest.config.ts), and this makes such a test fail here instead of quietly slowing every run.
vi.mock(import("../../src/local/rehearsal"), async (original) => ({
  ...(await original()),
  rehearse: () => {
    throw new Error("the unit tier runs no rehearsal: move this test file to the rehearsal tier in vitest.config.ts");
  },
}));
