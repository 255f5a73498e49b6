import type { User } from "./types.ts";

export const greet = (u: User): string => `Hello, ${u.userName}!`;
