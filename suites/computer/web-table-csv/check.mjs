import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const WANT = ["name,department,start_date", "Ada Lovelace,Research,2021-03-01", "Alan Turing,Security,2020-11-15", "Grace Hopper,Compilers,2019-06-30", "Katherine Johnson,Flight,2022-01-10", "Edsger Dijkstra,Algorithms,2018-09-03"];

export default async ({ workspace }) => {
  const file = path.join(workspace, "staff.csv");
  if (!existsSync(file)) return { pass: false, reasons: ["staff.csv is missing"] };
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/).map((l) => l.trim());
  const reasons = WANT.flatMap((want, i) => (lines[i] === want ? [] : [`line ${i + 1} is ${JSON.stringify(lines[i] ?? "")}, expected ${JSON.stringify(want)}`]));
  if (lines.length !== WANT.length) reasons.push(`staff.csv has ${lines.length} lines, expected ${WANT.length}`);
  return { pass: reasons.length === 0, reasons };
};
