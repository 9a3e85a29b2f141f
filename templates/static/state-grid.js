// Which state a point is in, from the grid tools/map/bundle.mjs makes of the map's outlines (vendor/map-grid.json,
// about 6 KB compressed, where the outlines and the map's code are about 80 KB): a cell of a tenth of a degree is
// named by its state, or by "~" near a state line, where only the outlines can say (map.js's stateAt).
const grids = new Map(); // url -> Promise of the grid

function loadGrid(url) {
  if (!grids.has(url)) {
    const grid = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    });
    grid.catch(() => grids.delete(url));
    grids.set(url, grid);
  }
  return grids.get(url);
}

// The code of the state whose cell holds [lat, lng], or null where the grid cannot say (near a state line,
// outside every state, or off the grid).
export async function gridStateAt(url, [lat, lng]) {
  const grid = await loadGrid(url);
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
