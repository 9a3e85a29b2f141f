// Which state a point is in, from the grid tools/map/bundle.mjs makes of the map's outlines (vendor/map-grid.json,
// about 6 KB compressed, where the outlines and the map's code are about 80 KB): a cell of a tenth of a degree is
// named by its state, or by "~" near a state line, where only the outlines can say (map.js's stateAt).

// The code of the state whose cell of `grid` (the file's JSON, which the page fetches) holds [lat, lng], or null
// where the grid cannot say (near a state line, outside every state, or off the grid).
export function gridStateAt(grid, [lat, lng]) {
  const row = grid.rows[Math.floor((grid.north - lat) / grid.size)];
  const column = Math.floor((lng - grid.west) / grid.size);
  if (typeof row !== "string" || !(column >= 0)) return null;
  let end = 0;
  for (const [, code, count] of row.matchAll(/([A-Z]{2}|~)(\d+)/g)) {
    end += Number(count);
    if (column < end) return code === "~" ? null : code;
  }
  return null; // past the row's last state
}
