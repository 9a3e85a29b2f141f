import { Supercluster, geoAlbersUsaTerritories } from "./vendor/map-lib.js";
import { LANG, _, ngettext } from "./text.js";

// A map of listings drawn only from this site's files: the states' outlines (vendor/map-states.json, the
// Census Bureau's by way of the us-atlas package, drawn once by tools/map/bundle.mjs) and the listings' own
// points, placed by the same projection. No tile server, font, icon or
// script from elsewhere, so no one learns where a visitor is looking. The list beside it shows the same
// listings and is the accessible equivalent: the map adds to it and never replaces it.

const WIDTH = 975;
const HEIGHT = 610;
const MAX_ZOOM = 512;   // about a town's width across the map
const FIT_ZOOM = 16;    // the closest a fit to a few points comes: a region, as the map has no streets
const SVG = "http://www.w3.org/2000/svg";
// Clustering: supercluster indexes the points by this map's own coordinates, handed to it as if they were
// Web Mercator (toLng/toLat), so its zoom levels are this map's scale: a cluster gathers points within
// CLUSTER_PX to twice that of each other on screen, whatever the map's size.
const RADIUS = 40;
const EXTENT = 512;
const CLUSTER_PX = 28;
const LEAVES_SHOWN = 20;

const atlases = new Map(); // url -> Promise<{ states, projection }>

function loadAtlas(url) {
  if (!atlases.has(url)) {
    atlases.set(url, fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    }).then((atlas) => ({
      states: atlas.states, // [{ code, name, d (an SVG path), box: [x0, y0, x1, y1], middle: [x, y] }]
      projection: geoAlbersUsaTerritories().scale(atlas.scale).translate(atlas.translate),
    })));
  }
  return atlases.get(url);
}

// The state a point [lat, lng] is in (its code), by the outlines the map draws, or within NEAR_SHORE_PX of one (a
// shore or an island too small for the outlines); null elsewhere. Which statewide listings serve a visitor who
// shared their location, where the grid of states (state-grid.js) cannot say: near a state line.
const NEAR_SHORE_PX = 3; // about 9 miles at the map's scale
const outlines = new Map(); // state code -> rings of [x, y]

export async function stateAt(url, [lat, lng]) {
  const { states, projection } = await loadAtlas(url);
  const point = projection([lng, lat]);
  if (!point) return null;
  const [x, y] = point;
  let nearest = null;
  let nearestGap = NEAR_SHORE_PX;
  for (const state of states) {
    const [x0, y0, x1, y1] = state.box;
    if (x < x0 - nearestGap || x > x1 + nearestGap || y < y0 - nearestGap || y > y1 + nearestGap) continue;
    if (!outlines.has(state.code)) outlines.set(state.code, state.d.split("M").filter(Boolean)
      .map((ring) => ring.replace("Z", "").split("L").map((pair) => pair.split(",").map(Number))));
    let inside = false;
    for (const ring of outlines.get(state.code)) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        const gap = gapToSegment([x, y], ring[j], ring[i]);
        if (gap < nearestGap) [nearest, nearestGap] = [state.code, gap];
      }
    }
    if (inside) return state.code;
  }
  return nearest;
}

function gapToSegment([x, y], [x0, y0], [x1, y1]) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = dx || dy ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
}

// The box around points (each with properties.x and .y): a loop, as 100,000 arguments are too many to spread.
function boundsOf(points) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { properties: { x, y } } of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return [[x0, y0], [x1, y1]];
}

const toLng = (x) => (x / WIDTH) * 360 - 180;
const toLat = (y) => (360 / Math.PI) * Math.atan(Math.exp((180 - (y / WIDTH) * 360) * Math.PI / 180)) - 90;
// And back, for a cluster's middle, which supercluster gives in those terms.
const fromLng = (lng) => ((lng + 180) / 360) * WIDTH;
const fromLat = (lat) => WIDTH * (0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI));

function element(name, attributes = {}, namespace = null) {
  const node = namespace ? document.createElementNS(namespace, name) : document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function button(className, text, label) {
  const node = element("button", { type: "button", class: className });
  node.textContent = text;
  if (label) node.setAttribute("aria-label", label);
  return node;
}

// A map in `box`: `label` names it, `card(record)` returns a listing's card (a <li> element), `list` the
// element cards are shown in (a <ul class="cards">, cloned). A `still` map's markers only mark (a listing's
// own page has nothing more to open).
export async function createMap(box, { atlas, label, card, list, still = false }) {
  const { states, projection } = await loadAtlas(atlas);
  const view = { cx: WIDTH / 2, cy: HEIGHT / 2, k: 1 };
  let index = null;       // supercluster over the points shown
  let byId = new Map();   // point id -> record
  let origin = null;      // the place searched around: { x, y, r (the distance, in map units), label }
  let frameKey = "";
  let drawQueued = false;
  let opener = null;      // the marker whose listings the card panel shows

  box.replaceChildren();
  box.classList.add("map");
  const frame = element("div", { class: "map-frame", tabindex: "0", role: "group", "aria-roledescription": _("map"),
    "aria-label": label });
  const help = element("p", { class: "visually-hidden", id: `${box.id}-help` });
  help.textContent = still ? _("Arrow keys move the map, + and − zoom.")
    : _("Arrow keys move the map, + and − zoom. Each marker is a button; the list shows the same listings.");
  frame.setAttribute("aria-describedby", help.id);
  const svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, "aria-hidden": "true", focusable: "false" }, SVG);
  const land = element("g", { class: "map-land" }, SVG);
  for (const state of states) land.append(element("path", { d: state.d, "data-state": state.code }, SVG));
  // Each state's code at its middle, once the state is big enough on screen to hold it.
  const labels = element("div", { class: "map-labels", "aria-hidden": "true" });
  const named = states.map(({ code, box: [x0, y0, x1, y1], middle }) => {
    const node = element("span");
    node.textContent = code;
    return { node, at: middle, size: Math.min(x1 - x0, y1 - y0) };
  });
  const ring = element("circle", { class: "map-radius", r: "0" }, SVG);
  svg.append(land, ring);
  const markers = element("div", { class: "map-markers" });
  const you = element("span", { class: "map-origin", "aria-hidden": "true", hidden: "" });
  const controls = element("div", { class: "map-tools" });
  const zoomIn = button("map-button", "+", _("Zoom in"));
  const zoomOut = button("map-button", "−", _("Zoom out"));
  const whole = button("map-button map-fit", _("Show all"));
  const note = element("p", { class: "map-note" });
  note.hidden = still;
  controls.append(zoomIn, zoomOut, whole, note);
  frame.append(svg, labels, you, markers); // a marker where the visitor is stays above their dot, to be opened
  const panel = element("div", { class: "map-panel", hidden: "", tabindex: "-1", "aria-label": _("Listings at this marker"), role: "region" });
  box.append(help, frame, controls, panel);

  // ------------------------------------------------------------ the view

  function clampView() {
    view.k = Math.min(Math.max(view.k, 1), MAX_ZOOM);
    const halfW = WIDTH / (2 * view.k);
    const halfH = HEIGHT / (2 * view.k);
    view.cx = Math.min(Math.max(view.cx, halfW), WIDTH - halfW);
    view.cy = Math.min(Math.max(view.cy, halfH), HEIGHT - halfH);
  }

  function windowOf() {
    const w = WIDTH / view.k;
    const h = HEIGHT / view.k;
    return [view.cx - w / 2, view.cy - h / 2, w, h];
  }

  function fit([[x0, y0], [x1, y1]], most = MAX_ZOOM) {
    const k = Math.min(WIDTH / Math.max((x1 - x0) * 1.25, 1e-6), HEIGHT / Math.max((y1 - y0) * 1.25, 1e-6), most);
    Object.assign(view, { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, k: Math.max(1, k) });
    clampView();
  }

  function zoomAround(factor, x = view.cx, y = view.cy) {
    const k = Math.min(Math.max(view.k * factor, 1), MAX_ZOOM);
    // The point under (x, y) stays where it is.
    view.cx = x - (x - view.cx) * (view.k / k);
    view.cy = y - (y - view.cy) * (view.k / k);
    view.k = k;
    clampView();
    queueDraw();
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => { drawQueued = false; draw(); });
  }

  // The cluster index's zoom for the present view and map size.
  function clusterZoom() {
    const pixels = (frame.clientWidth || WIDTH) * view.k;
    return Math.log2((pixels * RADIUS) / (EXTENT * CLUSTER_PX));
  }

  function draw() {
    const started = performance.now();
    const [x, y, w, h] = windowOf();
    svg.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
    const place = (node, px, py) => {
      node.style.left = `${((px - x) / w) * 100}%`;
      node.style.top = `${((py - y) / h) * 100}%`;
    };
    if (origin) {
      ring.setAttribute("cx", origin.x);
      ring.setAttribute("cy", origin.y);
      ring.setAttribute("r", origin.r);
      place(you, origin.x, origin.y);
    }
    you.hidden = !origin;
    const scale = (frame.clientWidth || WIDTH) / w;  // screen pixels per map unit
    labels.replaceChildren(...named.filter(({ at, size }) => size * scale > 28 && at[0] > x && at[0] < x + w && at[1] > y && at[1] < y + h)
      .map(({ node, at }) => { place(node, at[0], at[1]); return node; }));
    ring.style.display = origin && origin.r ? "" : "none";
    zoomIn.disabled = view.k >= MAX_ZOOM;
    zoomOut.disabled = view.k <= 1;
    frame.classList.toggle("zoomed", view.k > 1);
    if (!index) { markers.replaceChildren(); return; }
    // Only the clusters in view (and a margin, so markers at the edge do not pop in): a query, not a scan.
    const margin = (CLUSTER_PX * 2 * w) / (frame.clientWidth || WIDTH);
    const bbox = [toLng(x - margin), toLat(y + h + margin), toLng(x + w + margin), toLat(y - margin)];
    const clusters = index.getClusters(bbox, clusterZoom());
    markers.replaceChildren(...clusters.map((cluster) => marker(cluster, place)));
    // For the benchmark (bench/bench_map.py): the clusters in view, found and drawn.
    performance.measure("map-draw", { start: started, end: performance.now(), detail: { markers: clusters.length } });
  }

  function marker(cluster, place) {
    const props = cluster.properties;
    const [lng, lat] = cluster.geometry.coordinates;
    // A single point keeps its own map coordinates; a cluster's middle comes back from supercluster's terms.
    const [mx, my] = props.cluster ? [fromLng(lng), fromLat(lat)] : [props.x, props.y];
    let node;
    if (props.cluster) {
      const count = props.point_count;
      node = button("map-marker cluster", count.toLocaleString(LANG), ngettext("%(num)s listing here: show them", "%(num)s listings here: show them", count));
      node.dataset.count = count;
      node.dataset.cluster = props.cluster_id;
      node.style.setProperty("--size", `${Math.min(2 + Math.log10(count) * 0.7, 3.6)}rem`);
    } else if (still) {
      node = element("span", { class: "map-marker", "aria-hidden": "true" });
    } else {
      const record = byId.get(props.id);
      const where = [record.city, record.region].filter(Boolean).join(", ");
      node = button("map-marker", "", where ? `${record.name}, ${where}` : record.name);
      node.dataset.slug = record.slug;
      node.dataset.point = props.id;
    }
    place(node, mx, my);
    return node;
  }

  // ------------------------------------------------------------ markers open cards

  function openMarker(node) {
    if (node.dataset.cluster) {
      const id = Number(node.dataset.cluster);
      const leaves = index.getLeaves(id, Infinity);
      const [x, y] = [leaves[0].properties.x, leaves[0].properties.y];
      const together = leaves.every((leaf) => Math.abs(leaf.properties.x - x) < 1e-3 && Math.abs(leaf.properties.y - y) < 1e-3);
      if (together || view.k >= MAX_ZOOM) { showCards(leaves.map((leaf) => byId.get(leaf.properties.id)), node); return; }
      fit(boundsOf(leaves), MAX_ZOOM);
      draw();
      markers.querySelector(".map-marker")?.focus();
      return;
    }
    showCards([byId.get(Number(node.dataset.point))], node);
  }

  function showCards(records, from) {
    opener = from;
    const shown = records.slice(0, LEAVES_SHOWN);
    const cards = document.importNode(list, false);
    cards.append(...shown.map(card));
    const title = element("p", { class: "map-panel-title" });
    title.textContent = ngettext("%(num)s listing at this marker", "%(num)s listings at this marker", records.length);
    const close = button("map-close", "✕", _("Close"));
    close.addEventListener("click", closeCards);
    const more = element("p", { class: "muted" });
    if (records.length > shown.length) more.textContent = _("%(count)s more are in the list.", { count: records.length - shown.length });
    panel.replaceChildren(title, close, cards, ...(more.textContent ? [more] : []));
    panel.hidden = false;
    for (const node of markers.querySelectorAll(".map-marker")) node.removeAttribute("aria-current");
    from.setAttribute("aria-current", "true");
    panel.focus();
  }

  function closeCards() {
    panel.hidden = true;
    panel.replaceChildren();
    const back = opener && (markers.querySelector(`[data-point="${opener.dataset.point}"]`) || markers.querySelector(`[data-cluster="${opener.dataset.cluster}"]`));
    (back && back.isConnected ? back : frame).focus();
    opener = null;
  }

  // ------------------------------------------------------------ input

  markers.addEventListener("click", (event) => {
    const node = event.target.closest(".map-marker");
    if (node) openMarker(node);
  });
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") closeCards(); });
  zoomIn.addEventListener("click", () => zoomAround(2));
  zoomOut.addEventListener("click", () => zoomAround(0.5));
  whole.addEventListener("click", () => { fitAll(); draw(); });
  frame.addEventListener("keydown", (event) => {
    if (event.target !== frame) return;
    const step = WIDTH / view.k / 6;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      view.cx += moves[event.key][0];
      view.cy += moves[event.key][1];
      clampView();
      queueDraw();
    } else if (event.key === "+" || event.key === "=") zoomAround(2);
    else if (event.key === "-" || event.key === "_") zoomAround(0.5);
    else if (event.key === "0") { fitAll(); draw(); } else return;
    event.preventDefault();
  });

  // From a point on screen to the map's coordinates.
  function mapPoint(clientX, clientY) {
    const rect = frame.getBoundingClientRect();
    const [x, y, w, h] = windowOf();
    return [x + ((clientX - rect.left) / rect.width) * w, y + ((clientY - rect.top) / rect.height) * h];
  }

  // Dragging moves the map; on a touch screen only once it is zoomed in, so the page still scrolls past it.
  let drag = null;
  frame.addEventListener("pointerdown", (event) => {
    if (event.target.closest("button") || (event.pointerType === "touch" && view.k <= 1)) return;
    drag = { id: event.pointerId, x: event.clientX, y: event.clientY, cx: view.cx, cy: view.cy };
    frame.setPointerCapture(event.pointerId);
  });
  frame.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const rect = frame.getBoundingClientRect();
    view.cx = drag.cx - ((event.clientX - drag.x) / rect.width) * (WIDTH / view.k);
    view.cy = drag.cy - ((event.clientY - drag.y) / rect.height) * (HEIGHT / view.k);
    clampView();
    queueDraw();
  });
  const endDrag = () => { drag = null; };
  frame.addEventListener("pointerup", endDrag);
  frame.addEventListener("pointercancel", endDrag);
  frame.addEventListener("dblclick", (event) => {
    if (event.target.closest("button")) return;
    zoomAround(2, ...mapPoint(event.clientX, event.clientY));
  });
  // The wheel scrolls the page; with Ctrl (or a trackpad's pinch, which browsers send so) it zooms.
  frame.addEventListener("wheel", (event) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    zoomAround(event.deltaY < 0 ? 1.25 : 0.8, ...mapPoint(event.clientX, event.clientY));
  }, { passive: false });
  new ResizeObserver(() => queueDraw()).observe(frame);

  // ------------------------------------------------------------ what is shown

  function project(lat, lng) {
    return projection([lng, lat]);
  }

  let extent = null;  // what "Show all" frames: the state asked for, or every point
  let area = "";

  function fitAll() {
    if (origin && origin.r) fit([[origin.x - origin.r, origin.y - origin.r], [origin.x + origin.r, origin.y + origin.r]]);
    else if (extent) fit(extent, area ? MAX_ZOOM : FIT_ZOOM);
    else Object.assign(view, { cx: WIDTH / 2, cy: HEIGHT / 2, k: 1 });
  }

  // Show `records` (those with a point; the rest are counted in the note). `near` is the place the search is
  // around ({ point: [lat, lng], label, radius }) or null; `area` a state's code to frame when there is no
  // place; `key` changes when the search does, and only then does the map move to frame what it shows;
  // `elsewhere` counts the list's listings not given to the map (joined online from far away), for the note.
  function show(records, { near = null, area: region = "", key = "", elsewhere = 0 } = {}) {
    const started = performance.now();
    byId = new Map();
    const points = [];
    let away = elsewhere;
    for (const record of records) {
      const xy = record.lat == null ? null : project(record.lat, record.lng);
      if (!xy) { away++; continue; }
      const id = byId.size;
      byId.set(id, record);
      points.push({ type: "Feature", geometry: { type: "Point", coordinates: [toLng(xy[0]), toLat(xy[1])] },
        properties: { id, x: xy[0], y: xy[1] } });
    }
    index = new Supercluster({ radius: RADIUS, extent: EXTENT, maxZoom: 24, minPoints: 2 }).load(points);
    performance.measure("map-index", { start: started, end: performance.now(), detail: { points: points.length } });
    origin = null;
    if (near) {
      const xy = project(near.point[0], near.point[1]);
      const edge = xy && project(near.point[0] + (near.radius || 0) / 69.05, near.point[1]);
      if (xy) origin = { x: xy[0], y: xy[1], r: edge ? Math.hypot(edge[0] - xy[0], edge[1] - xy[1]) : 0, label: near.label };
    }
    you.setAttribute("title", origin ? origin.label : "");
    extent = null;
    const shape = region && states.find((state) => state.code === region);
    area = shape ? region : "";
    if (shape) extent = [shape.box.slice(0, 2), shape.box.slice(2)];
    else if (points.length) extent = boundsOf(points);
    note.textContent = noteText(points.length, away, origin);
    if (key !== frameKey) {
      frameKey = key;
      fitAll();
      if (!panel.hidden) { panel.hidden = true; panel.replaceChildren(); }
    }
    draw();
  }

  return { show, element: frame };
}

function noteText(shown, away, origin) {
  const on = ngettext("%(num)s listing on the map", "%(num)s listings on the map", shown);
  const where = origin ? " " + _("around %(place)s", { place: origin.label }) : "";
  const off = away ? ngettext("; %(num)s more (online, or serving a wider area) is in the list only",
    "; %(num)s more (online, or serving a wider area) are in the list only", away) : "";
  return `${on}${where}${off}.`;
}
