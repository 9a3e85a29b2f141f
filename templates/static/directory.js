import { DAY_NAMES, localDay, nextMeeting, nextMeetingWords, wallTime, zoneName } from "./meeting-times.js";
import { mapToggle } from "./map-toggle.js";
import { gridStateAt } from "./state-grid.js";
import { LANG, _, ngettext } from "./text.js";

// Live search and filters for the directory page. Progressive enhancement: without this script
// the page lists the listings (up to 1,000) and links to the browse pages. Everything runs in this page: the
// visitor's location and searches are never sent anywhere; data files come from this site only.

const form = document.getElementById("filters");

// The filters, as [URL parameter, vocabulary section (none: weekday numbers), record key], from the form's
// fieldsets (written from generator/vocabulary.py's table, in the page's order).
const FACETS = [...(form ? form.querySelectorAll("fieldset[data-facet]") : [])].map((fieldset) =>
  [fieldset.dataset.facet, fieldset.dataset.section || null, fieldset.dataset.field]);
const LIST_PARAMS = FACETS.map(([name]) => name);
const DEFAULTS = { q: "", region: "", city: "", place: "", at: "", radius: "25", online: "include", sort: "relevance", today: "" };
const FIRST_CARDS = 10; // cards made with the results, before the page can be drawn: more than a screen holds
const ARTICLES_SHOWN = 3; // articles above the listings until the visitor asks for all that match

const resultsBox = document.getElementById("results");
const statusBox = document.getElementById("result-status");
const articleBox = document.getElementById("article-results");
const placeStatus = document.getElementById("f-place-status");
const heading = document.getElementById("results-title");
const panel = document.getElementById("filter-panel");
const showButton = document.getElementById("f-show");
const chipsBox = document.getElementById("f-chips");
const activeCount = document.getElementById("f-active");
const WIDE = matchMedia("(min-width: 60rem)");
// The embedded directory (/embed/) runs this same code: its links open the main site in a new tab, its URL
// changes replace the frame's history entry (so the host page's back button is not taken over), the frame's
// own parameters (origin, theme, accent, map) stay in the URL, and "Clear all filters" returns to the presets.
const EMBED = Boolean(form && form.dataset.mode === "embed");
// Cards to a page. An embedded directory grows its frame to its content (embed-frame.js): fifty cards on a phone
// made it 20,000 px tall, with the host page's own text after it out of reach. Ten, and a button for more.
const PAGE_SIZE = EMBED ? 10 : 50;
const LINK_ATTRS = EMBED ? ' target="_blank" rel="noopener"' : "";
const FRAME_PARAMS = ["origin", "theme", "accent", "map"];
let presets = null;

let index = null;            // search/index.json
let vocab = {};              // section -> [[slug, label], ...]
let regionNames = [];        // [[code, name in English], ...]: a place typed with its state's name
const shardCache = new Map(); // url -> Promise<records>
// A shard's description words (`<shard>.words.json` beside it: generator/addresses.py's search_words) are
// fetched only once a visitor types words to search for, then added to its records (record.words): shard url ->
// Promise of [its records, their words], and the shards whose words are in.
const wordsCache = new Map();
const wordsIn = new Set();
let wordsVersion = 0;        // how many times words were added: a text pass made before they were is not reused
const placeCache = new Map(); // url -> Promise<object>
let articles = null;
// The words of each article's text in the page's language (generator/search_data.py's article_words): fetched once
// a visitor types words, then added to the articles; null until asked for, then its Promise.
let articleWords = null;
let runId = 0;
let shown = PAGE_SIZE;
let announceTimer = 0;
let articlesOpened = ""; // the articles (slugs) the visitor asked to see all of

// The map (map.js): drawn only once it is opened, by the visitor or, on a wide screen, by the page itself.
const mapBox = document.getElementById("map");
let mapMade = null;  // Promise of the map, once opened
let openMap = null; // opens (true) or closes (false) the map and its button, once the page has them
// Where there is room beside the list, the map opens by itself with the first results it has a place to mark (not
// before: "0 listings on the map" beside a list of statewide and online help only took the list's room), unless the
// visitor has opened or closed it first.
let mapOnFirstPlace = false;
let lastShown = null; // what the list shows, for the map to follow
let mapTimer = 0;
// The map follows the list once it settles: typing or stepping through results in quick succession clusters the
// points once, not at every keystroke (at 100,000 listings a clustering takes a noticeable moment).
const MAP_SETTLE_MS = 150;

// ---------------------------------------------------------------- state <-> URL <-> form

function stateFromParams(params) {
  const state = {};
  for (const [key, value] of Object.entries(DEFAULTS)) state[key] = params.get(key) ?? value;
  // Only values the form offers a box for: one it has none for (the site's own language, left out of the filters)
  // would filter the first view, then drop away unseen with the first change.
  for (const name of LIST_PARAMS) {
    state[name] = params.getAll(name).filter((value) => value
      && form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`));
  }
  return state;
}

function paramsFromState(state) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(DEFAULTS)) {
    if (state[key] && state[key] !== value) params.set(key, state[key]);
  }
  for (const name of LIST_PARAMS) for (const value of state[name]) params.append(name, value);
  return params;
}

function stateFromForm() {
  const data = new FormData(form);
  const state = {};
  for (const [key, value] of Object.entries(DEFAULTS)) state[key] = (data.get(key) ?? value).toString().trim();
  state.at = form.dataset.at || "";
  for (const name of LIST_PARAMS) state[name] = data.getAll(name).map(String);
  return state;
}

function applyStateToForm(state) {
  for (const key of Object.keys(DEFAULTS)) {
    const field = form.elements.namedItem(key);
    if (!field || key === "at") continue;
    if (field.type === "checkbox") field.checked = state[key] === "1";
    else {
      if (field.tagName === "SELECT" && state[key] && ![...field.options].some((o) => o.value === state[key])) {
        field.add(new Option(state[key], state[key]));
      }
      field.value = state[key];
    }
  }
  form.dataset.at = state.at;
  for (const name of LIST_PARAMS) {
    for (const box of form.querySelectorAll(`input[name="${name}"]`)) box.checked = state[name].includes(box.value);
  }
}

// The visitor's search lives in the address after '#', which browsers never send: a reload, the back button or a
// bookmark tells no server (ours or the CDN's) where someone is or what they looked for. Links from this site's
// pages, an embed's snippet and search engines may bring a search in the query (/directory/?region=CT); the page
// moves it after '#' as it opens. An embed's frame settings stay in the query, which its host page wrote.
function urlParams() {
  const params = new URLSearchParams(location.search);
  if (isState(location.hash)) {
    const fragment = new URLSearchParams(location.hash.slice(1));
    for (const key of new Set(fragment.keys())) params.delete(key); // the fragment's values win, all of them
    for (const [key, value] of fragment) params.append(key, value);
  }
  return params;
}

// The address as this page writes it: the frame's settings (an embed's) in the query, the search after '#'.
function addressFor(state) {
  const frame = new URLSearchParams();
  if (EMBED) {
    const current = new URLSearchParams(location.search);
    for (const name of FRAME_PARAMS) if (current.get(name)) frame.set(name, current.get(name));
  }
  const query = frame.toString();
  const fragment = paramsFromState(state).toString();
  return location.pathname + (query ? `?${query}` : "") + (fragment ? `#${fragment}` : "");
}

// Whether an address's fragment holds a search ("#q=family") rather than naming a part of the page ("#main").
function isState(hash) {
  return hash.includes("=");
}

function writeUrl(state, push) {
  const url = addressFor(state);
  if (url === location.pathname + location.search + location.hash) return;
  history[push && !EMBED ? "pushState" : "replaceState"](null, "", url);
}

// ---------------------------------------------------------------- data

function fetchJson(url, cache) {
  if (!cache.has(url)) {
    const promise = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    });
    promise.catch(() => cache.delete(url));
    cache.set(url, promise);
  }
  return cache.get(url);
}

// A listing as the search holds it. Every record is made by this one object literal, so all share one shape and
// reading a field is quick; records filled field by field from index.json's list become hash tables in V8, and
// filtering them is three to six times slower.
// `pairs` and `at`: where in its shard's typed array the record's pairs of letters are kept (lettersOf).
function toRecord(row, ownSummary, pairs, at) {
  const field = (name) => row[index.at[name]];
  const record = {
    order: field("order"), slug: field("slug"), name: field("name"), city: field("city"), region: field("region"),
    kind: field("kind"), format: field("format"), types: field("types"), audience: field("audience"),
    languages: field("languages"), cost: field("cost"), days: field("days"), lat: field("lat"), lng: field("lng"),
    verified: field("verified"), summary: field("summary"), organization: field("organization"),
    schedule: field("schedule"), due: field("due"), serves: field("serves"), also: field("also"),
    // Online for one state's people alone (a state's line or credential): found in that state alone. The build says
    // which (Listing.for_its_state_only): an online meeting of a group based in a state is open to anyone.
    stateOnly: Boolean(field("only")),
    // No longer in the meeting list it was imported from: it may have stopped meeting, so it has no next meeting.
    gone: Boolean(field("gone")),
    ownSummary: ownSummary || "", haystack: "", words: "", initials: "", masks: null, joinable: false, onlineOnly: false,
    cityFolded: "", states: null, nameFolded: "", nameJoined: "",
    starts: 0, letterPairs: pairs, pairsAt: at, nameStarts: 0, // what its text and name hold (lettersOf, wordStarts)
    distance: null, remote: 0, score: 0, // set per query
    next: null, nextAt: null, // its next meeting, worked out once per run (nextOf)
  };
  // A summary translated into the page's language is shown, and searched with the one as written.
  // Its initials too ("aa", "na"), which its text may not hold: a search for them finds it, and puts it first.
  record.nameFolded = fold(record.name);
  const initials = [...new Set([initialsOf(record.nameFolded), initialsOf(fold(record.organization))])]
    .filter(Boolean).join(" ");
  record.initials = initials && ` ${initials} `;
  record.haystack = joinedToo(fold([record.name, record.organization, record.city, record.summary,
    record.ownSummary, initials].join(" ")));
  // One bitmask per facet (bit i = the term at vocabulary position i): matching and counting become bit tests.
  record.masks = FACETS.map(([, , name]) => toMask(field(name)));
  const format = vocab.formats[record.format]?.[0];
  record.joinable = format !== "in-person";
  record.onlineOnly = format === "online";
  record.cityFolded = fold(record.city);
  record.states = [record.region, ...(record.also || [])];  // its own state, and those it also serves
  if (record.nameFolded.includes("-")) record.nameJoined = record.nameFolded.replaceAll("-", "");
  lettersOf(record.haystack, pairs, at);
  record.starts = wordStarts(record.haystack);
  record.nameStarts = wordStarts(record.nameFolded);
  return record;
}

const mergeCache = new Map(); // joined URL list -> records merged, without repeats, in name order

async function loadShards(urls) {
  const key = urls.join(" ");
  if (mergeCache.has(key)) return mergeCache.get(key);
  const lists = await Promise.all(urls.map((url) => {
    if (!shardCache.has(url)) {
      // The summaries in the page's language come in a file beside the shard (generator/search_data.py), fetched
      // with it by a page in a language they are in; without them the cards show the summaries as written.
      const own = index.summaries?.includes(LANG)
        ? fetchJson(url.replace(/\.json$/, `.${LANG}.json`), new Map()).catch(() => null) : null;
      shardCache.set(url, Promise.all([fetchJson(url, new Map()), own]).then(([rows, summaries]) => {
        const pairs = new Int32Array(rows.length * PAIR_WORDS); // one array for the shard: see lettersOf
        return rows.map((row, i) => toRecord(row, summaries?.[i], pairs, i * PAIR_WORDS));
      }));
    }
    return shardCache.get(url);
  }));
  const byOrder = new Map();
  for (const list of lists) for (const record of list) byOrder.set(record.order, record);
  const merged = [...byOrder.values()].sort((a, b) => a.order - b.order);
  if (mergeCache.size > 20) mergeCache.clear();
  mergeCache.set(key, merged);
  return merged;
}

// Add the description words of these shards to their records' text; resolve once they are in. They are added all at
// once, when the last file has come: each addition means the next keystroke scans every record again, instead of
// only those the last one matched, so words trickling in file by file made a search typed meanwhile slow.
function loadWords(urls) {
  return Promise.all(urls.map((url) => {
    if (!wordsCache.has(url)) {
      const promise = Promise.all([shardCache.get(url), fetchJson(url.replace(/\.json$/, ".words.json"), new Map())]);
      promise.catch(() => wordsCache.delete(url));
      wordsCache.set(url, promise);
    }
    return wordsCache.get(url);
  })).then((loaded) => {
    let added = false;
    loaded.forEach(([records, words], i) => {
      if (wordsIn.has(urls[i])) return;
      records.forEach((record, j) => {
        if (!words[j]) return;
        record.words = words[j];
        lettersOf(words[j], record.letterPairs, record.pairsAt);
        record.starts |= wordStarts(words[j]);
      });
      wordsIn.add(urls[i]);
      added = true;
    });
    if (added) wordsVersion++;
  });
}

// Whether a search must still fetch these shards' description words before it can say it is complete.
function wordsPending(state, urls) {
  return Boolean(state.q.trim()) && !urls.every((url) => wordsIn.has(url));
}

// A state's scope is near a place when one of its listings is, or (for its statewide listings) the state is.
function scopesFor(state, origin) {
  if (state.online === "only") return ["online"];
  let scopes;
  if (state.region) scopes = [state.region];
  else if (origin) scopes = Object.keys(index.scopes).filter((s) => s !== "online" && s !== "national"
    && (nearBox(index.scopes[s].bbox, origin.point, +state.radius) || inState(s, origin)));
  else scopes = Object.keys(index.scopes).filter((s) => s !== "online" && s !== "national");
  scopes.push("national");  // listings that serve the whole country are near everyone
  if (state.online === "include") scopes.push("online");
  return scopes.filter((s) => index.scopes[s]);
}

// Each shard (scope + support type) is a list of name-ordered chunk files. A small scope has one shard of every
// type ("*", generator/search_data.py's ALL_TYPES), wanted whatever types are chosen: the type filter picks from it.
function shardLists(scopes, types) {
  const lists = new Map(); // the first chunk's URL -> the chunks: small scopes share theirs, named once
  for (const scope of scopes) {
    for (const [type, chunks] of Object.entries(index.scopes[scope].shards)) {
      if (type === "*" || !types.length || types.includes(type)) lists.set(chunks[0], chunks);
    }
  }
  return [...lists.values()];
}

// ---------------------------------------------------------------- places and distance

// As generator/search_data.py's fold(): accents dropped, lower case, a curly apostrophe (as phones type it) straight.
function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[‘’]/g, "'").toLowerCase();
}

// The initials a body goes by, from its folded name or organization, as people type them: "aa" for "Alcoholics Anonymous: Montana Area 40" (the
// name before its colon) and for the organization "Alcoholics Anonymous"; "" for a name of one word. Small words
// ("of", "de") have none. (tests/test_search_browser.py's searched_texts reads a record's text the same way.)
const SMALL_WORDS = new Set(["of", "and", "the", "for", "in", "de", "del", "la", "las", "el", "los", "y", "en"]);

function initialsOf(folded) {
  const words = folded.split(":")[0].split(/\s+/).filter((word) => /^[a-z]/.test(word) && !SMALL_WORDS.has(word));
  return words.length > 1 ? words.map((word) => word[0]).join("") : "";
}

// Folded text with each hyphened word also written as one: "al-anon" is found by "alanon" too, as people type it.
function joinedToo(text) {
  const hyphened = text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu);
  return hyphened ? `${text} ${hyphened.map((word) => word.replaceAll("-", "")).join(" ")}` : text;
}

// A record's letters, for the words test: which letters a–z its text holds (bit i for the letter i, a 26-bit mask,
// returned) and which pairs of them come in a row (bit 26 × first + second of the 676 from `at` in `pairs`, a typed
// array for its shard). A word is then read only in the records that hold all its pairs: the first letters of a
// search test every record loaded, so most of their time went there. (A word of one letter is tested against the
// letters that begin the record's words, wordStarts.)
const PAIR_WORDS = 22; // 676 bits, in 32-bit words

function lettersOf(text, pairs = null, at = 0) {
  let letters = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const letter = text.charCodeAt(i) - 97;
    if (letter < 0 || letter > 25) { previous = -1; continue; }
    letters |= 1 << letter;
    if (pairs && previous >= 0) {
      const pair = previous * 26 + letter;
      pairs[at + (pair >>> 5)] |= 1 << (pair & 31);
    }
    previous = letter;
  }
  return letters;
}

// A word typed is found at the start of a word of the text, never inside one: "my" is not in "Academy", nor "son" in
// "person". A word starts where the text does or after a character that is not a letter or a digit (a space, a
// hyphen: "anon" is in "Al-Anon"). Folded text holds letters a–z, digits and, past code 127, letters of other
// scripts. (generator/search_data.py's starts_a_word draws the same line.)
function isWordCode(code) {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code > 127;
}

function startsWord(text, token) {
  for (let i = text.indexOf(token); i !== -1; i = text.indexOf(token, i + 1)) {
    if (i === 0 || !isWordCode(text.charCodeAt(i - 1))) return true;
  }
  return false;
}

// The letters a–z that begin a word of the text: a word of one letter is found by testing its bit.
function wordStarts(text) {
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const letter = text.charCodeAt(i) - 97;
    if (letter >= 0 && letter < 26 && (i === 0 || !isWordCode(text.charCodeAt(i - 1)))) letters |= 1 << letter;
  }
  return letters;
}

// How the words test finds a word typed (wordsFilter): the bit of its one letter as the start of a word; or the bits
// of its pairs of letters a–z, which every text that holds the word holds: only a record with all of them is read.
function letterTest(token) {
  const pairs = []; // [word of the 22, bit] for each pair
  for (let i = 0; i + 1 < token.length; i++) {
    const first = token.charCodeAt(i) - 97;
    const second = token.charCodeAt(i + 1) - 97;
    if (first < 0 || first > 25 || second < 0 || second > 25) continue;
    const pair = first * 26 + second;
    pairs.push(pair >>> 5, 1 << (pair & 31));
  }
  const letter = token.length === 1 ? token.charCodeAt(0) - 97 : -1;
  return { bit: letter >= 0 && letter < 26 ? 1 << letter : 0, pairs };
}

// The words a visitor typed, folded, without the punctuation around them ("(aa)," is "aa"; "ic&rc" stays whole),
// as generator/search_data.py keeps a description's words.
function queryWords(text) {
  return fold(text).split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter(Boolean);
}

// Small words a visitor types in a sentence ("my son", "help for my husband", "para mi hijo") that would otherwise
// have to be in a listing's text: they are left out of the search, unless they are all that was typed.
const STOP_WORDS = new Set(["a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "with", "my", "our",
  "his", "her", "their", "your", "i", "me", "we", "is", "are", "el", "la", "los", "las", "un", "una", "y", "o", "de",
  "del", "en", "con", "por", "para", "mi", "mis", "su", "sus", "tu"]);

function searchWords(text) {
  const words = queryWords(text);
  const kept = words.filter((word) => !STOP_WORDS.has(word));
  return kept.length ? kept : words;
}

// The words of a search and the filter terms each names (termsNamed), worked out once per text: the keystroke
// narrowing (candidatesFor) and the words test (wordsFilter) both need them.
let parsedQuery = { text: null, tokens: [], named: [] };

function parseQuery(text) {
  if (parsedQuery.text !== text) {
    const tokens = searchWords(text);
    parsedQuery = { text, tokens, named: tokens.map(termsNamed) };
  }
  return parsedQuery;
}

function milesBetween(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 3958.8 * 2 * Math.asin(Math.sqrt(h));
}

// Whether a place is in a state, which a listing that serves that whole state serves. A place whose state is not
// known (a point at sea or abroad) is in none.
function inState(code, origin) {
  return origin.region === code;
}

function nearBox(box, origin, radius) {
  if (!box) return false;
  const lat = Math.min(Math.max(origin[0], box[0]), box[2]);
  const lng = Math.min(Math.max(origin[1], box[1]), box[3]);
  return milesBetween(origin, [lat, lng]) <= radius;
}

// The origin of a search by distance, with the state it is in (region).
const statesAt = new Map(); // "lat,lng" -> Promise of the state there (or null)

async function resolveOrigin(state) {
  const origin = await findOrigin(state);
  if (origin && origin.point && !origin.region && mapBox) {
    // A location's state, once per point: from the grid of states, or near a state line from the outlines the map
    // draws (loaded with the map's code).
    const at = origin.point.join(",");
    if (!statesAt.has(at)) statesAt.set(at, fetchJson(mapBox.dataset.grid, placeCache)
      .then((grid) => gridStateAt(grid, origin.point)).catch(() => null)
      .then((code) => code || import(mapBox.dataset.module)
        .then((module) => module.stateAt(mapBox.dataset.atlas, origin.point)))
      .catch(() => null));
    origin.region = await statesAt.get(at);
    // The state goes into the address with the point ("at=41.31,-72.92,CT"): a page opened from it, a shared
    // link or a reload, then knows the state without looking it up. Only the point changes in the address as it
    // stands: a word typed meanwhile, not yet written, is on its way to a history step of its own.
    if (origin.region && state.at && state.at === form.dataset.at) {
      form.dataset.at = `${at},${origin.region}`;
      const current = stateFromParams(urlParams());
      if (current.at === state.at) writeUrl({ ...current, at: form.dataset.at }, false);
    }
  }
  return origin;
}

// A ZIP code as typed, perhaps with its four more digits: "06510" or "06510-1234" (the first five kept).
const ZIP = /^(\d{5})(?:-\d{4})?$/;

// A town's name as the place files key it (generator/geo.py's town_key): folded, with full stops, apostrophes and
// hyphens as spaces ("Winston-Salem" is "winston salem"), and "St", "Ft" and "Mt" as the words they stand for.
const TOWN_WORDS = { st: "saint", ft: "fort", mt: "mount" };

// Towns a Spanish speaker names in Spanish (no US town has these names): "Nueva York" is New York.
const TOWN_NAMES = { "nueva york": "new york", "nueva orleans": "new orleans", filadelfia: "philadelphia" };

function townKey(text) {
  const words = fold(text).replace(/[.'’-]/g, " ").split(/\s+/).filter(Boolean);
  const key = words.map((word) => TOWN_WORDS[word] || word).join(" ");
  return TOWN_NAMES[key] || key;
}

// Split "Hartford, CT", "Hartford CT", "Boston, Massachusetts" or "Boston" into [town, state code or ""]; a state
// is named by its code or its name (in the page's language or in English).
let stateNames = null; // folded code or name -> code, made once the vocabulary is in

function stateCodes() {
  if (!stateNames) {
    stateNames = new Map();
    for (const [code, name] of [...regionNames, ...vocab.regions]) stateNames.set(fold(code), code).set(fold(name), code);
  }
  return stateNames;
}

function townAndState(text) {
  const stateNames = stateCodes();
  const comma = text.lastIndexOf(",");
  if (comma !== -1) {
    const code = stateNames.get(fold(text.slice(comma + 1)).trim().replace(/\.$/, ""));
    if (code) return [text.slice(0, comma), code];
  }
  const words = text.trim().split(/\s+/);
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) { // the longest state name at the end: "New York"
    const code = stateNames.get(fold(words.slice(-n).join(" ")));
    if (code) return [words.slice(0, -n).join(" "), code];
  }
  return [text, ""];
}

// The state a place typed names on its own ("Maine", "ME", "Nuevo México"), or "". Someone who names only a state
// means the state, not a town that shares its name (Maine, NY; Ohio, IL).
function stateNamedAlone(text) {
  return stateCodes().get(fold(text).trim().replace(/\.$/, "")) || "";
}

// Take a state named in the place box as the state filter, when the directory has listings there: the box is
// emptied, and "Distance" (which needs a place) gives way to the usual order. Return whether it was taken.
function placeAsState(code) {
  const select = form.elements.namedItem("region");
  if (!code || ![...select.options].some((option) => option.value === code)) return false;
  select.value = code;
  form.elements.namedItem("place").value = "";
  if (form.elements.namedItem("sort").value === "distance") form.elements.namedItem("sort").value = DEFAULTS.sort;
  return true;
}

function stateNote(code) {
  return _("Showing what serves %(state)s and what meets there. For a town, type its name and state, or a ZIP code.",
    { state: vocabLabel("regions", code) });
}

// How many single-letter edits (insert, delete, change) turn `a` into `b`, counted only up to `most` (one more means
// "more than that").
function editsBetween(a, b, most) {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...next) > most) return most + 1;
    row = next;
  }
  return row[b.length];
}

// The town a place not found most likely meant, as "Missoula, MT": a town of the same first letter (its file is
// already here) within one edit of a short name or two of a longer one, in the state named if one was; the fewest
// edits, then the largest. null if none.
async function likelyTown(text) {
  const [town, named] = townAndState(text);
  const city = townKey(town);
  if (city.length < 4) return null;
  const most = city.length < 7 ? 1 : 2;
  const initial = /^[a-z]/.test(city) ? city[0] : "_";
  const table = await fetchJson(`${index.places}city/${initial}.json`, placeCache).catch(() => ({}));
  let best = null;
  for (const [key, [, , size]] of Object.entries(table)) {
    const [name, code] = key.split("|");
    if (named && code !== named) continue;
    const edits = editsBetween(name, city, most);
    if (edits > most || (best && (edits > best.edits || (edits === best.edits && size <= best.size)))) continue;
    best = { edits, size, label: `${titleCase(name)}, ${code}` };
  }
  return best && best.label;
}

// Whether this page found the location itself ("Use my location"): a link with a location opened later, perhaps
// sent from another device (a client's, to a peer worker), may not be the reader's own. (Nothing is stored to
// remember it across a reload: the site keeps no storage.)
let locatedAt = "";

function locatedHere(at) {
  return Boolean(locatedAt) && at.split(",").slice(0, 2).join(",") === locatedAt;
}

async function findOrigin(state) {
  if (state.at) {
    const [lat, lng, code] = state.at.split(",");
    const point = [Number(lat), Number(lng)];
    const region = regionNames.some(([known]) => known === code) ? code : undefined; // else looked up
    const label = locatedHere(state.at) ? _("your location") : _("the location in this link");
    if (point.every(Number.isFinite)) return { point, label, region };
  }
  const text = state.place.trim();
  if (!text) return null;
  const zip = text.match(ZIP);
  if (zip) {
    const table = await placeTable(`zip/${zip[1].slice(0, 3)}.json`);
    if (!table) return { missing: text, failed: true };
    const found = table[zip[1]];  // [lat, lng, state]
    return found ? { point: found.slice(0, 2), label: _("ZIP code %(zip)s", { zip: zip[1] }), region: found[2] }
      : { missing: text };
  }
  const [town, named] = townAndState(text);
  // "Port Washington" or "West New York" is a town, not a town in a state, when no town has the rest of the name.
  const found = (named && await findTown(town, named, state)) || await findTown(text, "", state);
  return found && found.failed ? { missing: text, failed: true } : found || { missing: text };
}

// A file of the places (generator/geo.py), or null when it could not be fetched (a lost connection): "we could not
// find Tulsa" would tell someone a real town does not exist.
function placeTable(path) {
  return fetchJson(`${index.places}${path}`, placeCache).catch(() => null);
}

// The town of this name in `named` state, or without one, in the state chosen in the filters if it is there, or
// else the largest of the name (the one with the most ZIP codes), saying how to choose another; null if none.
async function findTown(town, named, state) {
  const city = townKey(town);
  if (!city) return null;
  const initial = /^[a-z]/.test(city) ? city[0] : "_";
  // Each town: [lat, lng, how many ZIP codes it has].
  const table = await placeTable(`city/${initial}.json`);
  if (!table) return { failed: true };
  const region = named || (table[`${city}|${state.region}`] ? state.region : "");
  if (region) {
    const found = table[`${city}|${region}`];
    return found ? { point: found.slice(0, 2), label: `${titleCase(town.trim())}, ${region}`, region } : null;
  }
  const towns = Object.keys(table).filter((key) => key.startsWith(`${city}|`))
    .sort((a, b) => table[b][2] - table[a][2]);
  if (!towns.length) return null;
  const code = towns[0].split("|")[1];
  const other = towns[1] && `${titleCase(town.trim())}, ${towns[1].split("|")[1]}`;
  return { point: table[towns[0]].slice(0, 2), label: `${titleCase(town.trim())}, ${code}`, region: code, other };
}

// A town's name as typed, each word's first letter a capital: "mayagüez" is "Mayagüez" (a letter of any alphabet
// continues a word, where \b knows only a–z and would write "MayagüEz").
function titleCase(text) {
  return text.replace(/(^|[^\p{L}\p{M}])(\p{L})/gu, (_match, before, letter) => before + letter.toUpperCase());
}

// ---------------------------------------------------------------- meeting times

const shortWeekday = new Intl.DateTimeFormat(LANG, { weekday: "short", timeZone: "UTC" });
const SHORT_DAYS = Array.from({ length: 7 }, (unused, day) => shortWeekday.format(Date.UTC(2023, 0, 1 + day)));
let runNow = new Date(); // one "now" per run, so every card and the sort agree

// Return the record's next meeting (meeting-times.js), worked out once per run.
function nextOf(record) {
  if (record.nextAt !== runNow) {
    record.next = record.schedule.length && !record.gone ? nextMeeting(record.schedule, runNow) : null;
    record.nextAt = runNow;
  }
  return record.next;
}

function nextKey(record) {
  const next = nextOf(record);
  return next ? next.key : Infinity;
}

// Return true if the record has a meeting in progress, or one that starts later today, the visitor's today.
function meetsToday(record) {
  const next = nextOf(record);
  return Boolean(next && (next.now || localDay(next.start) === localDay(runNow)));
}

// Return the card's line about the next meeting (an element, or null), in the visitor's time, and in the
// meeting's own when that differs.
function nextMeetingLine(record) {
  const next = nextOf(record);
  if (!next) return null;
  const [before, strong, after] = nextMeetingWords(next, runNow);
  const line = element("p", { class: next.now ? "card-next now" : "card-next" });
  line.append(before, element("strong", {}, strong), after);
  return line;
}

// Return when the record meets each week, in each meeting's own time: every meeting when there are a few.
function weeklyText(record) {
  const meetings = record.schedule;
  if (!meetings.length) return "";
  if (meetings.length <= 3) {
    const times = meetings.map(([day, start, end, zone]) => {
      const name = zoneName(zone, runNow);
      return `${DAY_NAMES[day]} ${wallTime(start)}${end ? `–${wallTime(end)}` : ""}${name ? ` ${name}` : ""}`;
    }).join("; ");
    return _("Meets %(times)s", { times });
  }
  const days = [...new Set(meetings.map(([day]) => day))].sort();
  return ngettext("Meets %(num)s time a week: %(days)s", "Meets %(num)s times a week: %(days)s", meetings.length,
    { days: days.map((day) => SHORT_DAYS[day]).join(", ") });
}

// ---------------------------------------------------------------- filtering, counting, sorting

// Vocabulary sections hold at most 31 terms each here, so one 32-bit integer holds a record's terms.
function toMask(value) {
  let mask = 0;
  for (const position of Array.isArray(value) ? value : [value]) if (position >= 0 && position < 31) mask |= 1 << position;
  return mask;
}

// Return [facet number, mask of wanted terms] for each facet the visitor has narrowed.
function activeFacets(state) {
  const active = [];
  FACETS.forEach(([name, section], i) => {
    if (!state[name].length) return;
    active.push([i, toMask(state[name].map((v) => (section ? vocabPosition(section, v) : Number(v))))]);
  });
  return active;
}

function vocabPosition(section, slug) {
  return vocab[section].findIndex(([s]) => s === slug);
}

// The location, online and day tests: they set the record's distance and whether it is an online option here
// (record.distance, record.remote).
function placeFilter(state, origin) {
  const region = state.region;
  const city = fold(state.city);
  const only = state.online === "only";
  const exclude = state.online === "exclude";
  return (record) => {
    // Listings people can join online are "online options": kept outside the chosen area unless excluded, or
    // meant for the people of their own state.
    const remoteOk = !exclude && record.joinable && !record.stateOnly;
    if (only && !record.joinable) return false;
    if (exclude && record.onlineOnly) return false;
    if (state.today && !meetsToday(record)) return false;
    // A listing that serves a whole state is in every town of it; one that serves the country, everywhere. One
    // online for its state's people is where any in its state can reach it.
    const wide = record.serves || (record.stateOnly ? "statewide" : "");
    let outside = (region && !record.states.includes(region) && wide !== "nationwide") || (city && record.cityFolded !== city && !wide);
    record.distance = null;
    if (origin && wide) {
      if (wide !== "nationwide") outside = outside || !record.states.some((code) => inState(code, origin));
    } else if (origin) {
      if (record.lat === null) outside = true;
      else {
        record.distance = milesBetween(origin.point, [record.lat, record.lng]);
        outside = outside || record.distance > +state.radius;
      }
    }
    if (outside && !remoteOk) return false;
    record.remote = outside || record.onlineOnly ? 1 : 0;
    return true;
  };
}

// For a word typed, the terms of each filter it names, as the facets' masks ("veteran" names the audience
// "Veterans", "family" the support type "Family support" and the audience "Families"): a word and a label's word
// that share their first five letters and differ by at most one more. null for a word shorter than five letters.
function termsNamed(token) {
  if (token.length < 5) return null;
  const names = (word) => {
    let same = 0;
    while (same < word.length && same < token.length && word[same] === token[same]) same++;
    return same >= 5 && same >= Math.min(word.length, token.length) - 1;
  };
  const masks = FACETS.map(([, section]) => {
    let mask = 0;
    (section ? vocab[section] : []).forEach((entry, position) => {
      if (position < 31 && fold(entry[1]).split(/\s+/).some(names)) mask |= 1 << position;
    });
    return mask;
  });
  return masks.some(Boolean) ? masks : null;
}

// The words test: every word typed is in the record's text; it sets how well the name matches (record.score), and a
// listing tagged with what a word names (its audience, its support type) comes before one whose text only says it.
function wordsFilter(state) {
  const { tokens, named } = parseQuery(state.q);
  const spaced = tokens.map((token) => ` ${token}`); // a token as one of the initials
  // Two words typed one after the other that a name writes together ("al anon" for Al-Anon, not Alcoholics
  // Anonymous, which holds both words too): such a name comes first.
  const twoWords = tokens.slice(1).flatMap((token, i) => [`${tokens[i]}-${token}`, `${tokens[i]} ${token}`,
    `${tokens[i]}${token}`]);
  const tests = tokens.map(letterTest);
  return (record) => {
    let score = 0;
    const name = record.nameFolded;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const test = tests[i];
      if (test.bit) { // one letter: its bits say whether a word of the text starts with it, and one of the name
        if ((record.starts & test.bit) === 0) return false;
        score += record.nameStarts & test.bit ? 3 : 1;
        continue;
      }
      // A word that names a filter's term ("secular", "veteran") finds what is tagged with it, whatever its text
      // says, and puts it first.
      const tagged = named[i] !== null && named[i].some((mask, f) => (record.masks[f] & mask) !== 0);
      const { letterPairs: bits, pairsAt: at } = record;
      let held = true;
      for (let k = 0; k < test.pairs.length && held; k += 2) held = (bits[at + test.pairs[k]] & test.pairs[k + 1]) !== 0;
      // Where the word is: the name (3), the rest of the text (its summary, organization, town, the name written
      // without its hyphens: 2), only the description (1), or none of them (it is tagged).
      const inText = held && startsWord(record.haystack, token);
      if (!inText && !tagged && !(held && startsWord(record.words, token))) return false;
      score += !inText ? 1 : startsWord(name, token) ? 3 : 2;
      if (tagged) score += 2;
      // The body's initials, typed as a word ("na"): above a name that only holds the letters ("National").
      if (record.initials && record.initials.includes(`${spaced[i]} `)) score += 3;
    }
    // At the start of a word of the name. (Each two words' forms are three in a row; one found is enough.)
    for (let i = 0; i < twoWords.length; i += 3) {
      for (let j = i; j < i + 3; j++) {
        if (startsWord(name, twoWords[j])) { score += 4; break; }
      }
    }
    record.score = score;
    return true;
  };
}

function baseFilter(state, origin) {
  const place = placeFilter(state, origin);
  const words = wordsFilter(state);
  return (record) => place(record) && words(record);
}

// The records that passed the place tests last, for that set of records and those settings. Typing changes only
// the words, so a keystroke tests the words of these alone, and their distances stand.
let placePass = { records: null, key: "", placed: [] };

// What the place tests depend on. "Meets today" and "meeting now" change with the minute.
function placeKey(state, origin) {
  return JSON.stringify([state.region, state.city, state.online, state.radius, origin && origin.point,
    origin && origin.region, state.today ? Math.floor(runNow / 60000) : ""]);
}

function placedRecords(records, state, origin) {
  const key = placeKey(state, origin);
  if (placePass.records !== records || placePass.key !== key) {
    placePass = { records, key, placed: records.filter(placeFilter(state, origin)) };
  }
  return placePass.placed;
}

// The records that passed the last pass's location, online, day and text tests. When the visitor only
// adds letters to the search, the new matches are among them, so the next pass need not scan the rest.
let lastPass = { records: null, key: "", tokens: [], naming: [], passed: [] };

function candidatesFor(records, state, origin) {
  const key = JSON.stringify([{ ...state, q: "" }, origin && origin.point, wordsVersion]);
  const { tokens, named: naming } = parseQuery(state.q);
  const last = lastPass;
  lastPass = { records, key, tokens, naming, passed: [] };
  // The new words find only what the last ones found when each last word has grown or stayed ("servic" to
  // "service") and others were added; not when a small word is dropped ("my" alone, then "my s"). Only within the
  // same place pass: a new one (a minute later with "meets today") may let other records in.
  const within = last.records === records && last.key === key && placePass.records === records
    && placePass.key === placeKey(state, origin)
    && last.tokens.every((token, i) => i < tokens.length && tokens[i].startsWith(token));
  if (!within) return placedRecords(records, state, origin);
  // A word that has just grown to name a filter's term ("secu" to "secul") also finds what is tagged with that
  // term: those records join the last matches (a bit test of each record, not the words test of all of them).
  const grown = naming.filter((masks, i) => masks && i < last.tokens.length && !last.naming[i]);
  if (!grown.length) return last.passed;
  const kept = new Set(last.passed);
  return placePass.placed.filter((r) => kept.has(r)
    || grown.some((masks) => masks.some((mask, f) => (r.masks[f] & mask) !== 0)));
}

// Return the records that match every filter, plus those that pass the location, online, day and text
// tests (`passed`), from which the option counts are taken.
function filterRecords(records, state, origin) {
  const words = wordsFilter(state);
  const active = activeFacets(state);
  const results = [];
  const facets = active.map(([facet]) => facet);
  const wanted = active.map(([, bits]) => bits);
  const candidates = candidatesFor(records, state, origin);
  const passed = lastPass.passed;
  // Plain counted loops: this one runs over every record loaded at a search's first letter.
  outer: for (let i = 0; i < candidates.length; i++) {
    const record = candidates[i];
    if (!words(record)) continue;
    passed.push(record);
    for (let f = 0; f < facets.length; f++) if ((record.masks[facets[f]] & wanted[f]) === 0) continue outer;
    results.push(record);
  }
  return { results, passed };
}

// Count, for every option, the results it would give with the other filters applied.
function countOptions(passed, state) {
  const active = activeFacets(state);
  const tallies = FACETS.map(() => new Int32Array(32));
  for (const record of passed) {
    const masks = record.masks;
    let failed = -1;
    let failures = 0;
    for (const [facet, wanted] of active) {
      if ((masks[facet] & wanted) === 0) { failed = facet; if (++failures > 1) break; }
    }
    if (failures > 1) continue;
    // A record that fails only facet F still counts towards F's options: choosing one would add it.
    for (let facet = 0; facet < tallies.length; facet++) {
      if (failed !== -1 && failed !== facet) continue;
      const tally = tallies[facet];
      for (let m = masks[facet]; m !== 0; m &= m - 1) tally[31 - Math.clz32(m & -m)]++;
    }
  }
  return Object.fromEntries(FACETS.map(([name], i) => [name, tallies[i]]));
}

// Records arrive in name order (`order`), so comparing numbers replaces comparing strings.
const SORTS = {
  name: (a, b) => a.order - b.order,
  verified: (a, b) => b.verified - a.verified || a.order - b.order,
  distance: (a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || a.order - b.order,
  relevance: (a, b) => b.score - a.score || a.remote - b.remote || SORTS.distance(a, b),
  next: (a, b) => nextKey(a) - nextKey(b) || SORTS.distance(a, b),
};

// What meets near the place, nearest first (a hybrid group, with "online only"), then what is only online, then what
// some join online from far away (a hybrid group elsewhere), each A–Z.
const ONLINE_FIRST = (a, b) => a.remote - b.remote
  || (a.remote ? Number(b.onlineOnly) - Number(a.onlineOnly) || a.order - b.order : SORTS.distance(a, b));

// What meets near the place (not online from afar, and not a body that serves a wider area).
function isNear(record) {
  return !record.remote && !record.serves;
}

// Return the order of the results: "Best match" for "meets today" without words to match is the next
// meeting first, as a person looking for one today expects.
function sortFor(state) {
  if (state.sort === "relevance" && state.today && !state.q.trim()) return SORTS.next;
  return SORTS[state.sort] || SORTS.relevance;
}

// Return the first `k` results in `compare` order without sorting them all (results are in name order).
function topResults(results, compare, k) {
  if (k <= 0) return []; // a page already filled by the in-person results leaves no room for the online ones
  if (compare === SORTS.name) return results.slice(0, k);
  const top = [];
  for (const record of results) {
    if (top.length === k && compare(record, top[k - 1]) >= 0) continue;
    let low = 0;
    let high = top.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compare(record, top[mid]) < 0) high = mid; else low = mid + 1;
    }
    top.splice(low, 0, record);
    if (top.length > k) top.pop();
  }
  return top;
}

// ---------------------------------------------------------------- rendering

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function label(section, position) {
  const entry = vocab[section][position];
  return entry ? entry[1] : "";
}

// "" for a listing at the very point the distance is measured from: most often one placed by its town's middle,
// found from that town typed, which "under 0.1 miles away" would put next door (the card names its town instead).
function milesText(miles) {
  if (miles < 0.1) return "";
  return _("%(miles)s miles", { miles: miles < 10 ? miles.toLocaleString(LANG, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : Math.round(miles).toLocaleString(LANG) });
}

// The card is macros.html's, drawn empty into the page's <template id="card-template">: each is a copy, filled.
const cardTemplate = document.getElementById("card-template");
const CARD_LIST = cardTemplate && cardTemplate.content.querySelector(".cards");
// Taken into this document once, so its copies are made here and need no adopting.
const CARD_ITEM = CARD_LIST && document.importNode(CARD_LIST.removeChild(CARD_LIST.querySelector("li")), true);

// Fill `box` with a copy of its first child element for each of `values`, set by `fill(copy, value)`.
function fillCopies(box, values, fill) {
  const model = box.firstElementChild;
  box.replaceChildren(...values.map((value) => {
    const copy = model.cloneNode(true);
    fill(copy, value);
    return copy;
  }));
}

// The languages a listing offers, when one is not English (as macros.html's language_list on the built cards).
function languagesText(record) {
  const positions = [].concat(record.languages ?? []);
  if (!positions.some((position) => vocab.languages[position]?.[0] !== "en")) return "";
  return positions.map((position) => label("languages", position)).filter(Boolean).join(", ");
}

function renderCard(record) {
  const place = record.serves === "nationwide" ? _("Nationwide")
    : record.serves === "part-of-state" ? _("Serves part of %(state)s", { state: vocabLabel("regions", record.region) })
    : record.serves ? _("Serves all of %(state)s", { state: vocabLabel("regions", record.region) })
    : record.stateOnly ? _("For people in %(state)s", { state: vocabLabel("regions", record.region) })
    : [record.city, record.region].filter(Boolean).join(", ");
  const also = record.also?.length
    ? _("Also serves people in %(states)s", { states: record.also.map((code) => vocabLabel("regions", code)).join(", ") }) : "";
  // A listing shown as an online option is not "67 miles away": its distance is only said where it is near.
  const miles = record.distance != null && !record.remote ? milesText(record.distance) : "";
  const distance = miles ? _("%(distance)s away", { distance: miles }) : "";
  const meta = [label("kinds", record.kind), label("formats", record.format), place, also, distance,
    languagesText(record)].filter(Boolean);
  const weekly = weeklyText(record);
  const item = CARD_ITEM.cloneNode(true);
  const link = item.querySelector(".card-title a");
  link.setAttribute("href", `${form.dataset.listingBase}${record.slug}/`);
  link.textContent = record.name;
  fillCopies(item.querySelector(".card-meta"), meta, (span, text) => { span.textContent = text; });
  const summary = item.querySelector(".card-summary");
  summary.textContent = record.ownSummary || record.summary;
  if (record.ownSummary) summary.removeAttribute("lang");  // the card's model marks the text as written
  if (!record.due) item.querySelector(".stale-note").remove();
  if (!record.gone) item.querySelector(".gone-note").remove();
  const times = item.querySelector(".card-times");
  const next = nextMeetingLine(record);
  if (next) times.before(next);
  if (weekly) times.textContent = weekly;
  else times.remove();
  const tags = item.querySelector(".tags");
  tags.replaceChildren(...record.types.map((position) => tagOf(tags.firstElementChild, position).cloneNode(true)));
  return item;
}

// A support type's tag, made once from the card's model tag and copied onto each card that has it.
const tagModels = new Map();

function tagOf(model, position) {
  if (!tagModels.has(position)) {
    const [slug, name] = vocab.support_types[position] || ["", ""];
    const tag = model.cloneNode(true);
    const tagLink = tag.querySelector("a");
    tagLink.setAttribute("href", `${form.dataset.typeBase}${slug}/`);
    tagLink.textContent = name;
    tagModels.set(position, tag);
  }
  return tagModels.get(position);
}

let renderedKey = "";

// The cards are made as elements and put on the page as they are: no HTML is written out and read back.
function cardList(records, level = 3) {
  const list = document.importNode(CARD_LIST, false);
  list.append(...records.map((record) => titled(renderCard(record), level)));
  return list;
}

// In sections (each with its own heading, a level 3 one), a card's title is a level 4 heading: a screen reader's list
// of headings then tells the sections from the listings.
function titled(card, level) {
  if ((card.titleLevel || 3) === level) return card; // as it is: no need to touch the page
  const title = card.querySelector(".card-title");
  if (level === 3) title.removeAttribute("aria-level"); else title.setAttribute("aria-level", String(level));
  card.titleLevel = level;
  return card;
}

// The result cards on the page, by what each shows (cardKey): a keystroke that keeps some listings in the results
// moves their cards into its lists instead of making them again.
let cardsShown = new Map();
let restTimer = 0;

function cardKey(record) {
  return `${record.order}:${record.distance}:${record.remote}:${record.schedule.length ? nextKey(record) : ""}`;
}

// Return a list of cards for each list of records. The cards already on the page are moved, and at most FIRST_CARDS
// new ones are made now, more than a screen holds; the rest are made in the next task, so that a keystroke's first
// results are on screen sooner, and a newer keystroke does not wait for cards nobody has scrolled to yet.
function resultLists(groups, level = 3) {
  const placed = (card) => titled(card, level);
  clearTimeout(restTimer);
  const previous = cardsShown;
  cardsShown = new Map();
  let budget = FIRST_CARDS;
  const rest = [];
  const lists = groups.map((records) => {
    const list = document.importNode(CARD_LIST, false);
    for (const [i, record] of records.entries()) {
      const key = cardKey(record);
      let card = previous.get(key);
      if (!card && budget === 0) { rest.push([list, records.slice(i)]); break; } // the rest of this list, in order
      if (!card) { card = renderCard(record); budget--; }
      cardsShown.set(key, card);
      list.append(placed(card));
    }
    return list;
  });
  if (rest.length) {
    restTimer = setTimeout(() => {
      const started = performance.now();
      for (const [list, records] of rest) {
        for (const record of records) {
          const key = cardKey(record);
          const card = previous.get(key) || renderCard(record);
          cardsShown.set(key, card);
          list.append(placed(card));
        }
      }
      // For the benchmark (bench/bench_search.py): the cards below the first screen, made after the update.
      performance.measure("directory-rest", { start: started, end: performance.now() });
    });
  }
  return lists;
}

// Return an element of `tag` with `attributes` and the text `text`.
function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function moreButton(more) {
  if (!more) return [];
  // The last few are all of what remains: "Show the last 4", not "Show 4 more of 4 remaining".
  const words = more > PAGE_SIZE ? _("Show %(count)s more of %(remaining)s remaining", { count: PAGE_SIZE, remaining: more })
    : ngettext("Show the last one", "Show the last %(num)s", more);
  const paragraph = element("p", {});
  paragraph.append(element("button", { type: "button", class: "button secondary", id: "show-more" }, words));
  return [paragraph];
}

// The sections of what serves a wider area than a place, after what is near it: [serves, heading id, heading].
const WIDE_SECTIONS = [
  ["statewide", "state-title",
    (state, count) => _("Serving all of %(state)s (%(count)s): each one’s website says what is near you",
      { state, count })],
  ["part-of-state", "part-title",
    (state, count) => _("Serving part of %(state)s (%(count)s): each one’s website says which places",
      { state, count })],
  ["nationwide", "nation-title",
    (state, count) => _("Across the country (%(count)s): each one’s website says what is near you", { count })],
];

function resultsSection(id, title, ...content) {
  const section = element("section", { class: "results-section", "aria-labelledby": id });
  section.append(element("h3", { id }, title), ...content);
  return section;
}

// Render the results. With a place, honestly: what is in person within the distance first (nearest first,
// unless another order is chosen), then the bodies that serve all of the place's state, part of it or the whole
// country, then what anyone can join online, each a section of its own; and when nothing is near, say so
// (findNearest then offers the nearest farther away).
function renderResults(results, compare, origin, state) {
  if (!origin) {
    if (!results.length) {
      renderedKey = "";
      resultLists([]); // no cards: none still to come
      // What could find more, of what this search has: its words, its filters, online options left out.
      const tips = [state.q.trim() ? _("Check the spelling, or try fewer or other words.") : "",
        activeFacets(state).length || state.region || state.city || state.today ? _("Try removing a filter.") : "",
        state.online === "exclude" ? _("Try including online options.") : ""].filter(Boolean);
      const words = [_("No listings match all of these filters."), ...tips].join(" ");
      resultsBox.replaceChildren(element("p", { class: "empty" }, words));
      return;
    }
    const visible = topResults(results, compare, shown);
    // "Best match" with no words to match puts what meets in person first and what is only online after it: when
    // there are both, each has a heading, as with a place. ("Online only" is one list: all can be joined online.)
    const grouped = compare === SORTS.relevance && !state.q.trim() && state.online !== "only";
    const online = grouped ? results.filter((r) => r.remote).length : 0;
    const split = online > 0 && online < results.length;
    const key = visible.map((r) => `${r.order}:${r.distance}:${r.schedule.length ? nextKey(r) : ""}`).join(",")
      + `+${results.length}${split ? `/${online}` : ""}`;
    if (key === renderedKey) return; // the same cards: leave the page as it is
    renderedKey = key;
    const more = moreButton(results.length - visible.length);
    if (!split) {
      resultsBox.replaceChildren(...resultLists([visible]), ...more);
      return;
    }
    const onlineShown = visible.filter((r) => r.remote);
    const [inPersonList, onlineList] = resultLists([visible.filter((r) => !r.remote), onlineShown], 4);
    const sections = [resultsSection("in-person-title", _("In person (%(count)s)", { count: results.length - online }),
      inPersonList)];
    // The online heading comes with the first online card (on a later page when the in-person ones fill this one).
    // Not "from anywhere": with no place, help online for one state's people is among them (its card says whose).
    if (onlineShown.length) {
      sections.push(resultsSection("online-title", _("Online and by phone (%(count)s)", { count: online }), onlineList));
    }
    resultsBox.replaceChildren(...sections, ...more);
    return;
  }
  // Bodies with no one place to measure from come apart from what is near, each kind in a section of its own: those
  // that serve all of the visitor's state (and online help for its people), those that serve part of it (whether
  // their part is the visitor's, only they can say; a body that serves all of another state and also some of this
  // one is among them), and those across the country, with groups in many places. With "online only", everything
  // found can be joined online, a hybrid group nearby too: one section, but for the help meant for this state.
  const only = state.online === "only";
  const wideOf = (r) => {
    if (!r.stateOnly && (only || r.remote || !r.serves)) return "";
    const serves = r.stateOnly ? "statewide" : r.serves;
    return serves === "statewide" && r.region !== origin.region ? "part-of-state" : serves;
  };
  const near = only ? [] : results.filter((r) => isNear(r));
  const wide = WIDE_SECTIONS.map(([serves]) => results.filter((r) => wideOf(r) === serves));
  const online = results.filter((r) => (only || r.remote) && !r.stateOnly);
  // Without words to match, "Best match" is nearest first in person and A–Z elsewhere, as "Distance" is; online,
  // what meets nearby first (with "online only"), then what is only online, then groups far away that some join
  // online. A chosen order ("Name", "Recently verified") is kept in every section.
  const plain = (compare === SORTS.relevance && !state.q.trim()) || compare === SORTS.distance;
  const nearOrder = plain ? SORTS.distance : compare;
  const otherOrder = plain ? SORTS.name : compare;
  const onlineOrder = plain ? ONLINE_FIRST : compare;
  let room = shown;
  const take = (records, order) => {
    const top = topResults(records, order, Math.max(room, 0));
    room -= top.length;
    return top;
  };
  const shownLists = [take(near, nearOrder), ...wide.map((records) => take(records, otherOrder)),
    take(online, onlineOrder)];
  const key = [origin.label, origin.region, state.radius, state.online,
    ...shownLists.flatMap((list) => [...list.map((r) => r.order), "|"]),
    results.length, ...shownLists.flat().map((r) => (r.schedule.length ? nextKey(r) : ""))].join(",");
  if (key === renderedKey) return;
  renderedKey = key;
  const within = _("within %(radius)s miles of %(place)s", { radius: state.radius, place: origin.label });
  const lists = resultLists(shownLists, 4);
  const sections = [];
  const place = vocabLabel("regions", origin.region);
  // What serves the visitor's state, all of it or part, when any of it is on this page.
  const ownState = shownLists[1].length + shownLists[2].length > 0;
  if (!only) {
    const title = _("In person %(within)s (%(count)s)", { within, count: near.length });
    const none = _("Nothing in person %(within)s matches.", { within })
      + (ownState ? ` ${_("Below: what serves %(state)s.", { state: place })}` : "");
    sections.push(resultsSection("near-title", title, ...(near.length ? [lists[0]]
      : [element("p", { class: "results-note" }, none)])));
  }
  // Each other section's heading comes with its first card (on a later page when those above fill this one). With
  // nothing near, the nearest farther away (findNearest) come after what serves the visitor's state: a group two
  // states away is less help than the state's own fellowships, whose websites know its towns.
  for (const [i, [serves, id, words]] of WIDE_SECTIONS.entries()) {
    if (serves === "nationwide" && !only && !near.length) sections.push(element("div", { id: "nearest" }));
    if (shownLists[i + 1].length) sections.push(resultsSection(id, words(place, wide[i].length), lists[i + 1]));
  }
  if (state.online !== "exclude" && (shownLists[shownLists.length - 1].length || (only && !online.length))) {
    const title = _("Online and by phone, from anywhere (%(count)s)", { count: online.length });
    const none = _("No online options match.");
    sections.push(resultsSection("online-title", title,
      online.length ? lists[lists.length - 1] : element("p", { class: "results-note" }, none)));
  }
  const left = results.length - shownLists.flat().length;
  resultsBox.replaceChildren(...sections, ...moreButton(left));
}

// Not past 250 miles: a group 1,485 miles away (the nearest to San Juan on the mainland) is no help in person.
const NEAREST_RADII = [50, 100, 250];

// When nothing in person is within the distance, find the nearest farther away (loading the data of a wider
// area, a step at a time) and offer them, with their distance, under the note that says so.
async function findNearest(state, origin, id) {
  for (const radius of NEAREST_RADII) {
    if (radius <= +state.radius) continue;
    const wider = { ...state, radius: String(radius), online: "exclude" };
    const urls = shardLists(scopesFor(wider, origin), state.type).flat();
    const records = await loadShards(urls);
    if (wordsPending(state, urls)) await loadWords(urls);
    if (id !== runId) return;
    // The wider test sets distances and online flags of its own on records the list also shows: they are put
    // back once its cards are made, so the list's cards still to come, and the map, keep the list's.
    const kept = records.map((r) => [r.distance, r.remote, r.score]);
    const base = baseFilter(wider, origin);
    const active = activeFacets(state);
    // Only what meets at a place: what serves a state or the country has its own section already.
    // With words typed, only those whose name or summary has them (or are tagged with what they name): a school
    // 200 miles away whose description says "family" once is no answer to "alcohol family".
    const relevant = 2 * parseQuery(state.q).tokens.length;
    const found = records.filter((r) => base(r) && isNear(r) && r.score >= relevant
      && active.every(([facet, wanted]) => (r.masks[facet] & wanted) !== 0));
    const nearest = topResults(found, SORTS.distance, 5);
    const cards = nearest.length ? cardList(nearest, 4) : null;
    records.forEach((r, i) => { [r.distance, r.remote, r.score] = kept[i]; });
    if (!cards) continue;
    const box = document.getElementById("nearest");
    if (!box) return;
    box.replaceChildren(resultsSection("nearest-title", _("The nearest in person, farther away"), cards));
    return;
  }
  const box = document.getElementById("nearest");
  const farthest = NEAREST_RADII[NEAREST_RADII.length - 1];
  if (box && id === runId) {
    box.replaceChildren(element("p", { class: "results-note" },
      _("Nothing in person within %(radius)s miles either.", { radius: farthest })));
  }
}

function renderCounts(counts, typesPending) {
  for (const fieldset of form.querySelectorAll("fieldset[data-facet]")) {
    const name = fieldset.dataset.facet;
    const section = FACETS.find(([n]) => n === name)[1];
    for (const box of fieldset.querySelectorAll(`input[name="${name}"]`)) {
      const key = section ? vocabPosition(section, box.value) : Number(box.value);
      const n = counts[name][key] || 0;
      const countEl = box.parentElement.querySelector("[data-count]");
      countEl.textContent = typesPending && name === "type" && !box.checked ? "" : `(${n})`;
      box.parentElement.classList.toggle("none", n === 0 && !box.checked);
    }
  }
}

function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { statusBox.textContent = text; }, 250);
}

// The articles that mention every word, above the listings: those whose titles hold them first, and only the first
// ARTICLES_SHOWN until the visitor asks for all, so that a short word does not push the listings off the screen.
function renderArticles(state) {
  const { tokens } = parseQuery(state.q);
  if (!tokens.length || !articles) { articleBox.innerHTML = ""; return; }
  loadArticleWords();
  // Those whose titles hold every word first, then those whose summaries or tags do, then those only their texts do
  // (each article's rank worked out once, not at every comparison of the sort; the sort keeps the date order within).
  const ranked = [];
  for (const article of articles) {
    const [, , , , , text, title, words] = article;
    if (!tokens.every((t) => startsWord(text, t) || startsWord(words, t))) continue;
    ranked.push([tokens.every((t) => startsWord(title, t)) ? 0 : tokens.every((t) => startsWord(text, t)) ? 1 : 2,
      article]);
  }
  const found = ranked.sort((a, b) => a[0] - b[0]).map(([, article]) => article);
  const key = found.map(([slug]) => slug).join(" ");
  const all = articlesOpened === key || found.length <= ARTICLES_SHOWN + 1; // a button to show one more is no help
  const shownKey = `${key}${all ? " +" : ""}`;
  if (articleBox.dataset.shown === shownKey && articleBox.firstChild) return; // the same articles: left as they are
  articleBox.dataset.shown = shownKey;
  const title = _("Articles");
  const items = found.slice(0, all ? found.length : ARTICLES_SHOWN).map(([slug, title, summary]) => `<li><a href="${
    escapeHtml(form.dataset.articleBase + slug)}/"${LINK_ATTRS}>${escapeHtml(title)}</a> — ${escapeHtml(summary)}</li>`);
  const words = _("Show all %(num)s articles", { num: found.length });
  const more = all ? "" : `<p><button type="button" class="button secondary" id="show-articles">${
    escapeHtml(words)}</button></p>`;
  articleBox.innerHTML = found.length
    ? `<h3>${escapeHtml(title)}</h3><ul class="article-list">${items.join("")}</ul>${more}` : "";
}

function loadArticleWords() {
  const address = index.article_words?.[LANG] || Object.values(index.article_words || {})[0];
  if (articleWords || !address) return;
  articleWords = fetchJson(address, new Map()).then((list) => {
    articles.forEach((article, i) => { article[7] = list[i] || ""; });
    renderArticles(stateFromForm());
  }).catch(() => { articleWords = null; }); // asked for again with the next word typed
}

let citiesFor = { records: null, region: null };

function fillCities(records, state) {
  const select = form.elements.namedItem("city");
  // Rebuilding the list on every keystroke would cost more than the filtering itself.
  if (citiesFor.records === records && citiesFor.region === state.region && fold(select.value) === fold(state.city)) return;
  citiesFor = { records, region: state.region };
  const cities = [...new Set(records.filter((r) => r.region === state.region && r.city).map((r) => r.city))].sort();
  select.disabled = !state.region;
  const options = [new Option(_("Any city"), "")].concat(cities.map((c) => new Option(c, c)));
  if (state.city && !cities.some((c) => fold(c) === fold(state.city))) options.push(new Option(state.city, state.city));
  select.replaceChildren(...options);
  select.value = options.find((o) => fold(o.value) === fold(state.city))?.value ?? "";
}

// ---------------------------------------------------------------- chips and the filter panel

function vocabLabel(section, slug) {
  const entry = (vocab[section] || []).find(([s]) => s === slug);
  return entry ? entry[1] : slug;
}

// Return the filters in use as [field, value, words] for their chips; a place that was not found has one that says
// so (the list is not near it).
function chipList(state, placeFound = true) {
  const chips = [];
  if (state.q.trim()) chips.push(["q", "", `“${state.q.trim()}”`]);
  if (state.place.trim() || state.at) {
    const place = state.at ? _("your location") : state.place.trim();
    chips.push(["place", "", placeFound ? _("Within %(radius)s miles of %(place)s", { radius: state.radius, place })
      : _("Place not found: %(place)s", { place })]);
  }
  if (state.region) chips.push(["region", "", vocabLabel("regions", state.region)]);
  if (state.city) chips.push(["city", "", state.city]);
  if (state.online !== "include") chips.push(["online", "", state.online === "only" ? _("Online only") : _("In person only")]);
  if (state.today) chips.push(["today", "", _("Meets today")]);
  for (const [name, section] of FACETS) {
    for (const value of state[name]) chips.push([name, value, section ? vocabLabel(section, value) : DAY_NAMES[Number(value)]]);
  }
  return chips;
}

function renderChips(state, placeFound) {
  const chips = chipList(state, placeFound);
  const removeWords = _(": remove this filter");
  const clearAll = _("Clear all");
  chipsBox.innerHTML = chips.map(([name, value, words]) => `<li><button type="button" class="chip" data-remove="${escapeHtml(name)}" data-value="${escapeHtml(value)}"><span>${escapeHtml(words)}</span><span aria-hidden="true">✕</span><span class="visually-hidden">${escapeHtml(removeWords)}</span></button></li>`).join("") +
    (chips.length > 1 ? `<li><button type="reset" class="chip chip-clear" id="f-clear">${escapeHtml(clearAll)}</button></li>` : "");
  // What the panel sets: the place is typed above it, but a distance other than the usual one is chosen in it (the
  // place's chip, "Within 100 miles of …", shows both).
  const placed = chips.some(([name]) => name === "place");
  const inPanel = chips.filter(([name]) => name !== "q" && name !== "place").length
    + (placed && state.radius !== DEFAULTS.radius ? 1 : 0);
  activeCount.textContent = inPanel ? " " + ngettext("(%(num)s in use)", "(%(num)s in use)", inPanel) : "";
}

// Take one filter away, as its chip's ✕ asks, and keep the keyboard where it was.
function removeChip(chip) {
  const { remove, value } = chip.dataset;
  const field = (name) => form.elements.namedItem(name);
  if (remove === "place") { field("place").value = ""; form.dataset.at = ""; }
  else if (remove === "q") field("q").value = "";
  else if (remove === "region") { field("region").value = ""; field("city").value = ""; }
  else if (remove === "city") field("city").value = "";
  else if (remove === "online") field("online").value = "include";
  else if (remove === "today") field("today").checked = false;
  else {
    const box = [...form.querySelectorAll(`input[name="${remove}"]`)].find((input) => input.value === value);
    if (box) box.checked = false;
  }
  const index = [...chipsBox.querySelectorAll(".chip[data-remove]")].indexOf(chip);
  update(true).then(() => {
    const left = chipsBox.querySelectorAll(".chip[data-remove]");
    (left[Math.min(index, left.length - 1)] || field("place")).focus();
  });
}

// The panel is the sidebar on a wide screen (always open), and a dialog over the results on a phone.
function placePanel() {
  if (WIDE.matches) {
    if (panel.open && panel.matches(":modal")) panel.close();
    // The attribute, not show(): show() moves the keyboard's focus into the panel, away from the page's start.
    if (!panel.open) panel.setAttribute("open", "");
  } else if (panel.open && !panel.matches(":modal")) panel.close();
}

function closePanel(then) {
  if (panel.open && panel.matches(":modal")) panel.close();
  then.focus();
}

// A ZIP code or a town typed in the site's search box means "near there": a ZIP code at once, a town's name
// when no listing mentions it (so a search for "hope" stays a search for the word).
async function queryAsPlace(state, onlyZip) {
  const text = state.q.trim();
  if (!text || state.place.trim() || state.at) return false;
  let found = ZIP.test(text);
  if (!found && !onlyZip) found = Boolean((await resolveOrigin({ ...state, place: text, at: "" }))?.point);
  if (!found) return false;
  form.elements.namedItem("place").value = text;
  form.elements.namedItem("q").value = "";
  return true;
}

// A typo's likely town, offered under the note that the place was not found: one tap searches near it.
async function offerTown(text, id) {
  const town = await likelyTown(text);
  if (!town || id !== runId) return;
  const button = element("button", { type: "button", class: "button secondary suggestion" },
    _("Did you mean %(place)s?", { place: town }));
  button.addEventListener("click", () => {
    form.elements.namedItem("place").value = town;
    update(true).then(() => form.elements.namedItem("place").focus());
  });
  placeStatus.append(" ", button);
}

// ---------------------------------------------------------------- the main loop

async function run(state) {
  const id = ++runId;
  runNow = new Date();
  const origin = await resolveOrigin(state);
  if (id !== runId) return;
  // On a phone the results' headings and the chip name the place: this line is shown there only when it
  // says something is wrong (it is still read out).
  placeStatus.classList.toggle("ok", Boolean(origin && !origin.missing));
  const [missingTown, missingState] = origin && origin.missing && !origin.failed ? townAndState(origin.missing) : [];
  if (origin && origin.failed) {
    placeStatus.textContent = _("“%(place)s” could not be looked up: the list of places did not load. Check the connection, then try again.",
      { place: origin.missing });
    const again = element("button", { type: "button", class: "button secondary suggestion" }, _("Try again"));
    again.addEventListener("click", () => update(false));
    placeStatus.append(" ", again);
  } else if (missingState && placeAsState(missingState)) {
    // "rural Maine": no town of that name, but a state named: what serves the state, saying so.
    const note = _("We could not find “%(place)s” in %(state)s, so the list shows what serves %(state)s.",
      { place: missingTown.replace(/[\s,]+$/, ""), state: vocabLabel("regions", missingState) });
    update(false).then(() => {
      placeStatus.textContent = note;
      placeStatus.classList.remove("ok");
      offerTown(origin.missing, runId).catch(showFailure); // "Sprngfield, MA": perhaps a typo, too
    });
    return;
  } else if (origin && origin.missing) {
    placeStatus.textContent = ZIP.test(origin.missing)
      ? _("We could not find the ZIP code %(zip)s. Try a neighboring one, or a city and state such as “Hartford, CT”.",
        { zip: origin.missing.slice(0, 5) })
      : _("We could not find “%(place)s”. Try a 5-digit ZIP code, or a city and state such as “Hartford, CT”.",
        { place: origin.missing });
    if (!ZIP.test(origin.missing)) offerTown(origin.missing, id).catch(showFailure);
  }
  else if (origin) placeStatus.textContent = _("Showing distances from %(place)s.", { place: origin.label });
  else placeStatus.textContent = "";
  if (origin && origin.other) {
    // More than one town has the name: say which was taken, even on a phone, and how to take another.
    placeStatus.classList.remove("ok");
    const another = _("For another, add its state, as in “%(example)s”.", { example: origin.other });
    placeStatus.textContent += ` ${another}`;
  }
  const usable = origin && origin.point ? origin : null;
  const scopes = scopesFor(state, usable);
  const wanted = shardLists(scopes, state.type);
  const everything = shardLists(scopes, []).flat();
  // Stage 1: the first chunk of each wanted shard, for first results. Stage 2: all of them, for complete
  // results. Stage 3: the other support types too, only to fill in their option counts.
  if (everything.every((url) => shardCache.has(url))) {
    // Typing with the data already here: one pass gives the results and every option's count.
    const records = await loadShards(everything);
    if (id !== runId) return;
    const pending = wordsPending(state, everything);
    show(records, state, usable, { complete: !pending, countsComplete: !pending });
    if (!pending) return;
    await loadWords(everything);
    if (id === runId) show(records, state, usable, { complete: true, countsComplete: true });
    return;
  }
  const stages = [wanted.map((chunks) => chunks[0]), wanted.flat(), everything];
  // null, not "": when no shard holds the chosen type here, the first stage loads nothing and must still
  // show that nothing matches (skipping it left the page's built list of every listing on screen).
  let previous = null;
  for (const [i, urls] of stages.entries()) {
    const key = urls.join(" ");
    if (key === previous && i < 2) continue;
    previous = key;
    const records = await loadShards(urls);
    if (id !== runId) return;
    const complete = urls.length === wanted.flat().length || i > 0;
    const all = urls.length === everything.length;
    if (i === 2) {
      if (urls.length > wanted.flat().length) {
        if (wordsPending(state, urls)) await loadWords(urls);
        if (id !== runId) return;
        renderCounts(countOptions(filterRecords(records, state, usable).passed, state), false);
      }
      continue;
    }
    // A search for words shows what names and summaries match at once, then what the descriptions add.
    const pending = wordsPending(state, urls);
    show(records, state, usable, { complete: complete && !pending, countsComplete: all && !pending });
    if (complete && pending) {
      await loadWords(urls);
      if (id !== runId) return;
      show(records, state, usable, { complete: true, countsComplete: all });
    }
  }
}

// The count of what was found; with a place, also how many of them meet in person within the distance, which the
// sections below tell apart from what serves the state or the country or meets online (a bare "54 found" over
// "In person within 25 miles (0)" reads as a contradiction).
function foundText(results, state, origin) {
  const found = ngettext("%(num)s listing found", "%(num)s listings found", results.length);
  if (!origin || state.online === "only" || !results.length) return found;
  const near = results.filter(isNear).length;
  return near ? _("%(found)s, %(near)s in person within %(radius)s miles", { found, near, radius: state.radius })
    : _("%(found)s, none in person within %(radius)s miles", { found, radius: state.radius });
}

function show(records, state, origin, { complete, countsComplete }) {
  const id = runId;
  const started = performance.now();
  const { results, passed } = filterRecords(records, state, origin);
  fillCities(records, state);
  renderResults(results, sortFor(state), origin, state);
  renderArticles(state);
  heading.textContent = _("Results");
  announce(complete ? foundText(results, state, origin)
    : ngettext("%(num)s listing so far; loading more…", "%(num)s listings so far; loading more…", results.length));
  showButton.textContent = results.length ? ngettext("Show %(num)s result", "Show %(num)s results", results.length)
    : _("Show results (none match)");
  renderChips(state, Boolean(origin) || !(state.place.trim() || state.at));
  lastShown = { results, origin, state, complete };
  if (mapOnFirstPlace && results.some((r) => !r.remote && r.lat != null)) {
    mapOnFirstPlace = false;
    openMap(true);
  }
  drawMap();
  const placed = results.some(isNear);
  if (complete && origin && state.online !== "only" && !placed) findNearest(state, origin, id).catch(showFailure);
  if (complete && !results.length && state.q.trim() && !origin) {
    queryAsPlace(state, false).then((moved) => {
      const near = _("No listing mentions “%(words)s”, so these are near it.", { words: state.q.trim() });
      if (moved && id === runId) update(false).then(() => { placeStatus.textContent = `${near} ${placeStatus.textContent}`; });
    }).catch(showFailure);
  }
  // Filter + sort + render time of the results, for the benchmark (bench/bench_search.py) to read.
  performance.measure("directory-update", { start: started, end: performance.now(), detail: { results: results.length } });
  // The option counts follow in the next task, so the results are on screen first; a newer keystroke skips them.
  setTimeout(() => {
    if (id !== runId) return;
    const countStarted = performance.now();
    renderCounts(countOptions(passed, state), !countsComplete);
    performance.measure("directory-counts", { start: countStarted, end: performance.now() });
  });
}

// ---------------------------------------------------------------- the map

function mapOpened(open) {
  resultsBox.closest(".results").classList.toggle("with-map", open);
  if (open && !mapMade) {
    mapMade = import(mapBox.dataset.module).then((module) => module.createMap(mapBox,
      { atlas: mapBox.dataset.atlas, label: _("Map of the listings found"), card: renderCard, list: CARD_LIST }));
    mapMade.catch((error) => {
      mapMade = null;
      mapBox.textContent = _("The map could not load. The list shows every listing.");
      console.warn(error);
    });
  }
  drawMap();
}

// The map shows what the list shows in person (a listing offered as an online option far away is not on it), and
// counts what has no one place to mark.
function drawMap() {
  clearTimeout(mapTimer);
  if (!mapMade || mapBox.hidden || !lastShown) return;
  mapTimer = setTimeout(showOnMap, MAP_SETTLE_MS);
}

function showOnMap() {
  if (!mapMade || mapBox.hidden || !lastShown) return;
  const { results, origin, state, complete } = lastShown;
  const near = origin ? { ...origin, radius: +state.radius } : null;
  // A new search frames what it finds: once with its first results, again when all have loaded.
  const key = JSON.stringify({ ...state, sort: "", complete });
  const mapped = results.filter((r) => !r.remote || r.lat == null); // not an online option's far-away office
  const elsewhere = results.length - mapped.length;
  mapMade.then((map) => map.show(mapped, { near, area: state.region, key, elsewhere })).catch(() => {});
}

function update(push) {
  shown = PAGE_SIZE;
  let state = stateFromForm();
  if (ZIP.test(state.q.trim()) && !state.place.trim() && !state.at) {
    form.elements.namedItem("place").value = state.q.trim();
    form.elements.namedItem("q").value = "";
    state = stateFromForm();
  }
  const named = state.at ? "" : stateNamedAlone(state.place);
  const note = named && placeAsState(named) ? stateNote(named) : "";
  if (note) state = stateFromForm();
  if (state.sort === "distance" && !state.place && !state.at) placeStatus.textContent = _("Sorting by distance needs a place: type a ZIP code or city, or use your location.");
  writeUrl(state, push);
  return run(state).then(() => {
    if (note) { placeStatus.textContent = note; placeStatus.classList.remove("ok"); }
  }).catch(showFailure);
}

function showFailure(error) {
  clearTimeout(announceTimer);  // a "loading more…" still to come would hide this for good
  statusBox.textContent = _("Search could not load its data. The list below still works, and so do the browse links.");
  console.warn(error);
}

function useMyLocation() {
  if (!("geolocation" in navigator)) {
    placeStatus.textContent = _("This browser cannot share a location. Type a ZIP code or city instead.");
    return;
  }
  placeStatus.textContent = _("Finding your location… (it stays in this browser)");
  navigator.geolocation.getCurrentPosition((position) => {
    form.dataset.at = `${position.coords.latitude.toFixed(2)},${position.coords.longitude.toFixed(2)}`;
    locatedAt = form.dataset.at;
    form.elements.namedItem("place").value = "";
    form.elements.namedItem("sort").value = "distance";
    update(true);
  }, (error) => {
    placeStatus.textContent = error.code === error.PERMISSION_DENIED
      ? _("Location access was not allowed, so we cannot sort by distance from you. Type a ZIP code or city instead, or choose a state.")
      : _("Your location could not be found right now. Type a ZIP code or city instead.");
  }, { timeout: 10000, maximumAge: 600000 });
}

async function start() {
  index = await fetchJson(form.dataset.index, new Map());
  index.at = Object.fromEntries(index.fields.map((name, i) => [name, i])); // a field's position in a row
  vocab = index.vocabulary;
  regionNames = vocab.regions; // in English, before the page's language replaces them below
  for (const [section, labels] of Object.entries(index.labels?.[LANG] || {})) { // the terms in the page's language
    vocab[section] = vocab[section].map(([slug, name], i) => [slug, labels[i] || name]);
  }
  // The page lists the states A–Z in its language ("Carolina del Norte" under C), in the order the state pages
  // have (render.py's regions_a_to_z); each gets its count here, and those without a listing go.
  for (const option of [...form.elements.namedItem("region").options].slice(1)) {
    const scope = index.scopes[option.value];
    if (scope) option.text = `${option.text} (${scope.count})`; else option.remove();
  }
  // An article in the page's language where it has a translation: [slug, title, summary, tags, types,
  // {code: [title, summary]}], kept with its words folded for the search, and its title's.
  fetchJson(index.articles, new Map()).then((list) => {
    articles = list.map(([slug, title, summary, tags, types, translations]) => {
      const [shownTitle, shownSummary] = translations?.[LANG] || [title, summary];
      const text = joinedToo(fold([shownTitle, shownSummary, ...tags].join(" ")));
      return [slug, shownTitle, shownSummary, tags, types, text, fold(shownTitle), ""]; // its text's words to come
    });
    renderArticles(stateFromForm());
  }).catch(() => {});
  const params = urlParams();
  const state = stateFromParams(params);
  // The home page's "Use my location" says the point is the visitor's own ("located"); the address written
  // below leaves that word out, so a link copied from it says no such thing to whoever opens it.
  if (params.get("located") === "1" && state.at) locatedAt = state.at.split(",").slice(0, 2).join(",");
  if (!index.schedules) Object.assign(state, { today: "", day: [], sort: state.sort === "next" ? DEFAULTS.sort : state.sort });
  presets = state;
  applyStateToForm(state);
  form.hidden = false;
  if (await queryAsPlace(state, true)) Object.assign(state, stateFromForm());
  const named = state.at ? "" : stateNamedAlone(state.place); // "Maine" from the home page's box: the state
  const note = named && placeAsState(named) ? stateNote(named) : "";
  if (note) Object.assign(state, stateFromForm());
  writeUrl(state, false); // a search that came in the query moves after '#'
  placePanel();
  WIDE.addEventListener("change", placePanel);
  // The skip link moves the keyboard itself: following it would put "#results" in the address, where the search is.
  document.getElementById("skip-results").addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    (articleBox.querySelector("a[href]") || resultsBox.querySelector("a[href]") || heading).focus();
  });
  document.getElementById("f-open").addEventListener("click", () => { panel.showModal(); document.getElementById("f-close").focus(); });
  document.getElementById("f-close").addEventListener("click", () => closePanel(document.getElementById("f-open")));
  panel.addEventListener("cancel", (event) => { event.preventDefault(); closePanel(document.getElementById("f-open")); });
  // To the results' section, not their heading: on a phone the count is drawn above the (visually hidden) heading.
  showButton.addEventListener("click", () => {
    closePanel(heading);
    heading.closest("section").scrollIntoView({ block: "start" });
  });
  chipsBox.addEventListener("click", (event) => {
    const chip = event.target.closest(".chip[data-remove]");
    if (chip) removeChip(chip);
  });
  // Wide screens have room for every filter; on phones they start folded so results stay near the top.
  const anyFacet = LIST_PARAMS.some((name) => state[name].length) || state.today;
  // Embedded in another site, the frame stays compact: only the filters in use start open.
  document.getElementById("more-filters").open = anyFacet || !EMBED || !WIDE.matches;
  const browse = document.getElementById("browse");
  if (browse) browse.hidden = true;

  let typing = 0;
  let burst = false; // the first keystroke of a burst is a history step; the rest replace it
  let pendingPush = false;
  form.addEventListener("input", (event) => {
    const field = event.target;
    if (field.name === "place") form.dataset.at = "";
    if (field.type === "search" || field.type === "text") {
      clearTimeout(typing);
      pendingPush = pendingPush || !burst;
      burst = true;
      typing = setTimeout(() => { update(pendingPush); pendingPush = false; }, field.name === "place" ? 300 : 0);
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "search" || event.target.type === "text") { burst = false; return; }
    if (event.target.name === "region") form.elements.namedItem("city").value = "";
    update(true);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); update(true); });
  form.addEventListener("reset", () => {
    form.dataset.at = "";
    setTimeout(() => {
      if (EMBED) applyStateToForm({ ...presets, q: "", place: "", at: "", sort: DEFAULTS.sort, today: "", day: [] });
      update(true);
    });
  });
  document.getElementById("f-near").addEventListener("click", useMyLocation);
  // The map opens by itself where there is room beside the list (with the first results it can mark, show()); in
  // an embed, when the embedding page asks.
  if (mapBox) {
    // Beside the count of results, so that on a phone it takes no line of its own above them.
    openMap = mapToggle(mapBox, mapOpened, statusBox);
    if (EMBED) {
      if (new URLSearchParams(location.search).get("map") === "1") openMap(true);
    } else {
      mapOnFirstPlace = WIDE.matches;
      document.getElementById(`${mapBox.id}-toggle`).addEventListener("click", () => { mapOnFirstPlace = false; });
    }
  }
  articleBox.addEventListener("click", (event) => {
    if (event.target.id !== "show-articles") return;
    const first = articleBox.querySelectorAll("a").length;
    articlesOpened = articleBox.dataset.shown;
    renderArticles(stateFromForm());
    articleBox.querySelectorAll("a")[first]?.focus();
  });
  resultsBox.addEventListener("click", (event) => {
    if (event.target.id !== "show-more") return;
    // The same search, one page more: not update(), which starts a new search at the first page.
    const first = resultsBox.querySelectorAll(".card").length;
    shown += PAGE_SIZE;
    // After the task that makes the cards below the first ten (a timer set before this one runs after it).
    run(stateFromForm()).then(() => setTimeout(() => resultsBox.querySelectorAll(".card-title a")[first]?.focus()))
      .catch(showFailure);
  });
  window.addEventListener("popstate", () => {
    // A link to a part of the page ("#main", the skip link without its script) leaves the search in the address.
    if (location.hash && !isState(location.hash)) {
      writeUrl(stateFromForm(), false);
      return;
    }
    const restored = stateFromParams(urlParams());
    applyStateToForm(restored);
    shown = PAGE_SIZE;
    run(restored).catch(showFailure);
  });
  await run(state);
  if (note) { placeStatus.textContent = note; placeStatus.classList.remove("ok"); }
}

if (form) {
  // A search that came in the query moves after '#' at once, before anything loads: a reload or a language
  // switch meanwhile does not send it again, nor does one after the search data failed to load.
  if ([...new URLSearchParams(location.search).keys()].some((key) => !FRAME_PARAMS.includes(key))) {
    history.replaceState(null, "", addressFor(stateFromParams(urlParams())));
  }
  start().catch(showFailure);
}
