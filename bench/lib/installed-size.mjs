// What `npm install colleague` puts on disk, from package-lock.json and the local node_modules:
// the package's own shipped files plus every package of the production tree (lock entries not
// marked dev), each counted once, as `npm install --omit=dev` would lay them out. Apparent
// sizes (bytes of the files), without nested node_modules, which are lock entries of their own.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

function folderBytes(dir, skipNodeModules = true) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full, skipNodeModules);
    else if (entry.isFile()) total += lstatSync(full).size;
  }
  return total;
}

/** {ownBytes, dependencyBytes, totalBytes, packages, largest: [{name, bytes}]} for the package at `root`. */
export function installedSize(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
  let ownBytes = 0;
  for (const entry of [...(pkg.files ?? []), "package.json", "README.md", "LICENSE"]) {
    const full = path.join(root, entry);
    if (!existsSync(full)) continue;
    ownBytes += lstatSync(full).isDirectory() ? folderBytes(full, false) : lstatSync(full).size;
  }
  const sizes = [];
  for (const [where, meta] of Object.entries(lock.packages ?? {})) {
    if (!where || meta.dev || meta.devOptional || meta.link) continue;
    const dir = path.join(root, where);
    if (!existsSync(dir)) continue; // an optional package for another platform
    sizes.push({ name: where.replace(/^.*node_modules\//, ""), bytes: folderBytes(dir) });
  }
  const dependencyBytes = sizes.reduce((a, s) => a + s.bytes, 0);
  sizes.sort((a, b) => b.bytes - a.bytes);
  return { ownBytes, dependencyBytes, totalBytes: ownBytes + dependencyBytes, packages: sizes.length, largest: sizes.slice(0, 8) };
}
