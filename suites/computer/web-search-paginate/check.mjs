import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const WANT = ["Blue kettle", "Blue scarf", "Blue notebook", "Blue pen", "Blue rug", "Blue vase", "Blue blanket"];

export default async ({ workspace }) => {
  const file = path.join(workspace, "blue.txt");
  if (!existsSync(file)) return { pass: false, reasons: ["blue.txt is missing"] };
  const got = readFileSync(file, "utf8").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const missing = WANT.filter((p) => !got.includes(p));
  const extra = got.filter((p) => !WANT.includes(p));
  const reasons = [...missing.map((p) => `missing ${p}`), ...extra.map((p) => `not a blue product: ${p}`)];
  return { pass: reasons.length === 0, reasons };
};
