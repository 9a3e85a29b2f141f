// The map on a listing's page (where it is, in its state) and on a state's page (every listing of the state
// that has a place), drawn by map.js from this site's own files. Like the directory's, it is drawn only when
// the visitor opens it or the screen is wide; without JavaScript the page's address and list say the same.

import { mapToggle } from "./map-toggle.js";
import { LANG, _ } from "./text.js";

const box = document.getElementById("map");
const WIDE = matchMedia("(min-width: 60rem)");
let made = null;

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// A state's listings from the search data: every chunk of the state's shards, each listing once. Small states share
// their files with others (generator/search_data.py's SPLIT_AT), so only the listings found in this one are kept: as
// there, those whose state is this one or who also serve it, and not those that serve the whole country.
async function stateRecords(indexUrl, code) {
  const index = await fetchJson(indexUrl);
  const scope = index.scopes[code];
  if (!scope) return [];
  const urls = [...new Set(Object.values(scope.shards).flat())];
  // The summaries in the page's language, where there are any, come in a file beside each shard.
  const own = index.summaries?.includes(LANG);
  const lists = await Promise.all(urls.map((url) => Promise.all([fetchJson(url),
    own ? fetchJson(url.replace(/\.json$/, `.${LANG}.json`)).catch(() => null) : null])));
  const byOrder = new Map();
  for (const [rows, summaries] of lists) rows.forEach((row, i) => byOrder.set(row[0], [row, summaries?.[i] || ""]));
  return [...byOrder.values()].sort((a, b) => a[0][0] - b[0][0]).map(([row, ownSummary]) => {
    const record = { ownSummary };
    index.fields.forEach((field, i) => { record[field] = row[i]; });
    return record;
  }).filter((record) => record.serves !== "nationwide" && [record.region, ...(record.also || [])].includes(code));
}

// A short card: the listing's name (a link to its page), its town and its summary (in the page's language where it
// has a translation; otherwise marked as written, in the site's first language).
function card(record) {
  const item = document.createElement("li");
  item.className = "card";
  const title = document.createElement("h3");
  title.className = "card-title";
  const link = document.createElement("a");
  link.href = `${box.dataset.listingBase}${record.slug}/`;
  link.textContent = record.name;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "card-meta";
  const place = document.createElement("span");
  place.textContent = [record.city, record.region].filter(Boolean).join(", ");
  meta.append(place);
  const summary = document.createElement("p");
  summary.className = "card-summary";
  summary.textContent = record.ownSummary || record.summary || "";
  if (!record.ownSummary && LANG !== box.dataset.writtenIn) summary.lang = box.dataset.writtenIn;
  item.append(title, meta, summary);
  return item;
}

async function draw() {
  const data = box.dataset;
  const one = data.lat !== undefined;
  const { createMap } = await import(data.module);
  const list = document.createElement("ul");
  list.className = "cards";
  const map = await createMap(box, { atlas: data.atlas, label: data.label, card, list, still: one });
  const records = one ? [{ name: data.name, city: data.city, region: data.region, lat: +data.lat, lng: +data.lng }]
    : await stateRecords(data.index, data.region);
  map.show(records, { area: data.region, key: "page" });
}

function opened(show) {
  if (show && !made) {
    made = draw().catch((error) => {
      made = null;
      box.textContent = _("The map could not load.");
      console.warn(error);
    });
  }
}

if (box) {
  const open = mapToggle(box, opened);
  if (WIDE.matches) open(true);
}
