import type { User } from "./types.ts";

export const u: User = { id: 2, username: "grace" };
