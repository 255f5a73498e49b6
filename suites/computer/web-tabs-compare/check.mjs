import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export default async ({ workspace, site }) => {
  const reasons = [];
  const visited = site?.state.visited ?? [];
  for (const page of ["/vendor-a.html", "/vendor-b.html"]) if (!visited.includes(page)) reasons.push(`${page} was never opened`);
  const file = path.join(workspace, "cheaper.txt");
  if (!existsSync(file)) reasons.push("cheaper.txt is missing");
  else if (readFileSync(file, "utf8").trim() !== "Bolt Traders") reasons.push(`cheaper.txt says ${JSON.stringify(readFileSync(file, "utf8").trim())}, expected "Bolt Traders"`);
  return { pass: reasons.length === 0, reasons };
};
