// Makes the map's vendored files in templates/static/vendor/ from the npm packages tools/package-lock.json pins:
//   map-lib.js        the projection and clustering code the map uses, as one minified module;
//   map-states.json   the states' outlines from us-atlas's states-10m.json (Census cartographic boundaries),
//                     drawn here once as SVG paths in the map's projection, with each state's box and middle,
//                     and the projection's scale and translation, which the page gives its own copy for the
//                     listings' points;
//   map-grid.json     which state holds each tenth of a degree of latitude and longitude, from the same outlines,
//                     for the directory to know the state of a visitor's location without the outlines;
//   LICENSES.txt      the licence of every package in them.
// Drawing the outlines here rather than in the page saves every visitor's browser about half a second of work.
// Run `make map-vendor` after changing a version; a test runs this into a temporary folder and compares.
// Usage: node tools/map/bundle.mjs [output folder, default templates/static/vendor]
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "..", "node_modules");
const out = process.argv[2] || join(here, "..", "..", "templates", "static", "vendor");
const about = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));

// The map's size: its coordinates run from 0 to these, whatever size it is shown at.
const WIDTH = 975;
const HEIGHT = 610;
// The atlas names states by FIPS code; the listings by USPS code. A territory the projection has no inset
// for (Guam, the Northern Mariana Islands, the Virgin Islands...) draws nothing and is left out.
const USPS = {
  "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE", "11": "DC",
  "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
  "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT",
  "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
  "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT",
  "50": "VT", "51": "VA", "53": "WA", "54": "WV", "55": "WI", "56": "WY", "72": "PR",
};

const result = await build({
  entryPoints: [join(here, "entry.js")], bundle: true, format: "esm", minify: true, write: false,
  legalComments: "none", target: "es2020", metafile: true, logLevel: "warning",
});
// Every package whose code is in the bundle, from the files esbuild read.
const bundled = new Set(Object.keys(result.metafile.inputs).flatMap((file) => {
  const match = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  return match ? [match[1]] : [];
}));
const banner = `// Bundled from npm by tools/map/bundle.mjs: ${[...bundled].sort()
  .map((p) => `${p} ${about(p).version}`).join(", ")}. Licences: LICENSES.txt.\n`;
writeFileSync(join(out, "map-lib.js"), banner + result.outputFiles[0].text);

// The drawing code for this script itself, bundled the same way (d3-composite-projections' files import each
// other without file extensions, which only a bundler resolves).
const drawing = await build({
  stdin: { contents: 'export { geoContains, geoDistance, geoInterpolate, geoPath } from "d3-geo";'
    + ' export { geoAlbersUsaTerritories } from "d3-composite-projections";'
    + ' export { feature } from "topojson-client";', resolveDir: here },
  bundle: true, format: "esm", platform: "node", mainFields: ["module", "main"], write: false, logLevel: "warning",
});
const { geoContains, geoDistance, geoInterpolate, geoPath, geoAlbersUsaTerritories, feature } = await import(
  `data:text/javascript;base64,${Buffer.from(drawing.outputFiles[0].text).toString("base64")}`);

const topology = JSON.parse(readFileSync(join(modules, "us-atlas", "states-10m.json"), "utf8"));
const states = feature(topology, topology.objects.states).features.filter((state) => USPS[state.id]);
const projection = geoAlbersUsaTerritories().fitExtent([[6, 6], [WIDTH - 6, HEIGHT - 6]],
  { type: "FeatureCollection", features: states });
const path = geoPath(projection).digits(1);
const tenth = (n) => Math.round(n * 10) / 10;
const atlas = {
  about: `The states' outlines of us-atlas ${about("us-atlas").version} (states-10m.json: the Census Bureau's `
    + "cartographic boundaries, 1:10,000,000), projected by d3-composite-projections' geoAlbersUsaTerritories.",
  width: WIDTH, height: HEIGHT, scale: projection.scale(), translate: projection.translate(),
  states: states.map((state) => ({
    code: USPS[state.id], name: state.properties.name, d: path(state),
    box: path.bounds(state).flat().map(tenth), middle: path.centroid(state).map(tenth),
  })).filter((state) => state.d).sort((a, b) => a.code.localeCompare(b.code)),
};
writeFileSync(join(out, "map-states.json"), JSON.stringify(atlas));

// The grid: cells GRID degrees on a side, from NORTH and WEST, each named by a state's code or "~" (ask the
// outlines). Each state's outline is followed along its great-circle edges in steps of half a cell, and every step
// marks its cell and the eight around it with that state, so no outline passes through a cell it leaves unmarked.
// - A cell marked by two states or more is near a state line: "~", and the page asks the outlines (map.js).
// - A cell marked by one state only is near its shore or the border: each of its points is in that state or in
//   no state, and the outlines give such a point to the state anyway when it is near (map.js's NEAR_SHORE_PX),
//   so the cell is that state's.
// - The unmarked cells that touch form areas wholly inside one state, or wholly outside all ("~").
// Rows run north to south, as runs of a code and a count ("~812MA3RI2~343"), without the "~" at a row's end.
const GRID = 0.1;
const NORTH = 72; // Alaska's north shore is at about 71.4°
const SOUTH = 17; // Puerto Rico's south shore is at about 17.9°
const WEST = -180;
const EAST = -64; // Maine's east end is at about -66.9°, Puerto Rico's islands at about -65.2°
const ROWS = Math.round((NORTH - SOUTH) / GRID);
const COLS = Math.round((EAST - WEST) / GRID);
const [LINE, NONE] = [254, 255];
const cells = new Uint8Array(ROWS * COLS); // 0: not yet known; 1 + a state's index; LINE; NONE
const cellOf = ([lng, lat]) => [Math.floor((NORTH - lat) / GRID), Math.floor((lng - WEST) / GRID)];
for (const [index, state] of states.entries()) {
  const { type, coordinates } = state.geometry;
  for (const ring of (type === "Polygon" ? [coordinates] : coordinates).flat()) {
    for (let i = 1; i < ring.length; i++) {
      const steps = Math.ceil(geoDistance(ring[i - 1], ring[i]) * (180 / Math.PI) / (GRID / 2)) + 1;
      const along = geoInterpolate(ring[i - 1], ring[i]);
      for (let s = 0; s <= steps; s++) {
        const [row, col] = cellOf(along(s / steps));
        for (let r = row - 1; r <= row + 1; r++) {
          for (let c = col - 1; c <= col + 1; c++) {
            if (r < 0 || r >= ROWS || c < 0 || c >= COLS) continue;
            const cell = r * COLS + c;
            cells[cell] = cells[cell] === 0 || cells[cell] === index + 1 ? index + 1 : LINE;
          }
        }
      }
    }
  }
}
const queue = new Int32Array(ROWS * COLS);
for (let start = 0; start < cells.length; start++) {
  if (cells[start]) continue;
  const row = Math.floor(start / COLS);
  const middle = [WEST + (start % COLS + 0.5) * GRID, NORTH - (row + 0.5) * GRID];
  const owner = states.findIndex((state) => geoContains(state, middle));
  const value = owner === -1 ? NONE : owner + 1;
  let [head, tail] = [0, 0];
  cells[start] = value;
  queue[tail++] = start;
  while (head < tail) {
    const cell = queue[head++];
    const [r, c] = [Math.floor(cell / COLS), cell % COLS];
    for (const [nr, nc] of [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]]) {
      if (nr < 0 || nr >= ROWS || nc < 0 || nc >= COLS || cells[nr * COLS + nc]) continue;
      cells[nr * COLS + nc] = value;
      queue[tail++] = nr * COLS + nc;
    }
  }
}
const rows = [];
for (let r = 0; r < ROWS; r++) {
  const runs = [];
  const code = (c) => (cells[r * COLS + c] >= LINE ? "~" : USPS[states[cells[r * COLS + c] - 1].id]);
  for (let c = 0; c < COLS;) {
    let end = c;
    while (end < COLS && code(end) === code(c)) end++;
    runs.push([code(c), end - c]);
    c = end;
  }
  if (runs.at(-1)[0] === "~") runs.pop();
  rows.push(runs.map(([code, count]) => code + count).join(""));
}
writeFileSync(join(out, "map-grid.json"), JSON.stringify({
  about: `Which state holds each cell of ${GRID}° from ${NORTH}° N, ${-WEST}° W, by the outlines of map-states.json; `
    + "\"~\" where an outline is near or no state is: made by tools/map/bundle.mjs.",
  size: GRID, north: NORTH, west: WEST, rows,
}));

const packages = [...new Set([...bundled, "d3-geo", "topojson-client", "us-atlas"])].sort();
const licenceFile = (name) => ["LICENSE", "LICENCE", "LICENSE.md", "license"].map((f) => join(modules, name, f))
  .find((path) => { try { readFileSync(path); return true; } catch { return false; } });
writeFileSync(join(out, "LICENSES.txt"), "The map's files in this folder are made from these packages (the outlines "
  + "by d3-geo and topojson-client from us-atlas, at build time; the code bundled).\n\n" + packages.map((name) => {
  const info = about(name);
  return `${name} ${info.version} (${info.license})\n\n${readFileSync(licenceFile(name), "utf8").trim()}\n`;
}).join("\n" + "-".repeat(72) + "\n\n"));
