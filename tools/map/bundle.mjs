// Makes the map's vendored files in templates/static/vendor/ from the npm packages tools/package-lock.json pins:
//   map-lib.js        the drawing, projection and clustering code the map uses, as one minified module;
//   map-states.json   us-atlas's states-10m.json (Census state outlines), as published;
//   LICENSES.txt      the licence of every package in them.
// Run `make map-vendor` after changing a version; a test runs this into a temporary folder and compares.
// Usage: node tools/map/bundle.mjs [output folder, default templates/static/vendor]
import { build } from "esbuild";
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "..", "node_modules");
const out = process.argv[2] || join(here, "..", "..", "templates", "static", "vendor");

const result = await build({
  entryPoints: [join(here, "entry.js")], bundle: true, format: "esm", minify: true, write: false,
  legalComments: "none", target: "es2020", metafile: true, logLevel: "warning",
});
// Every package whose code is in the bundle, from the files esbuild read.
const bundled = new Set(Object.keys(result.metafile.inputs).flatMap((file) => {
  const match = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  return match ? [match[1]] : [];
}));
const packages = [...bundled, "us-atlas"].sort();
const about = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
const banner = `// Bundled from npm by tools/map/bundle.mjs: ${packages.filter((p) => p !== "us-atlas")
  .map((p) => `${p} ${about(p).version}`).join(", ")}. Licences: LICENSES.txt.\n`;
writeFileSync(join(out, "map-lib.js"), banner + result.outputFiles[0].text);
copyFileSync(join(modules, "us-atlas", "states-10m.json"), join(out, "map-states.json"));

const licenceFile = (name) => ["LICENSE", "LICENCE", "LICENSE.md", "license"].map((f) => join(modules, name, f))
  .find((path) => { try { readFileSync(path); return true; } catch { return false; } });
writeFileSync(join(out, "LICENSES.txt"), packages.map((name) => {
  const info = about(name);
  return `${name} ${info.version} (${info.license})\n\n${readFileSync(licenceFile(name), "utf8").trim()}\n`;
}).join("\n" + "-".repeat(72) + "\n\n"));
