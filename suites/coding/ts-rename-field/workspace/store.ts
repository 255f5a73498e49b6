import type { User } from "./types.ts";

export function makeUser(id: number, name: string): User {
  return { id, userName: name.trim() };
}
