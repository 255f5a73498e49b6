import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export default async ({ workspace, site }) => {
  const file = path.join(workspace, "code.txt");
  if (!site?.state.code) return { pass: false, reasons: ["the page never fetched its code"] };
  if (!existsSync(file)) return { pass: false, reasons: ["code.txt is missing"] };
  const got = readFileSync(file, "utf8").trim();
  return got === site.state.code ? { pass: true, reasons: [] } : { pass: false, reasons: [`code.txt says ${JSON.stringify(got)}, expected ${JSON.stringify(site.state.code)}`] };
};
