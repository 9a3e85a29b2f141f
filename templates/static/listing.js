// A listing page a visitor can act on: when the group next meets, in the visitor's own time, and buttons to
// share and print the page. Progressive enhancement: without this script the schedule table says when it meets,
// and no button that could not work is shown. Nothing here is sent anywhere.
//
// The meeting-time code is the directory's (directory.js: wallClock, nextMeeting, clockText, dayWord), kept
// the same here, wording included: the asset pipeline gives each script a fingerprinted name, so one module
// cannot import another.

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// ---------------------------------------------------------------- meeting times

// A meeting is [weekday (0 Sunday), "HH:MM" start, "HH:MM" end or "", IANA time zone], in its own zone's
// wall-clock time, read from the data attributes of the schedule table's rows.
const WEEK = 7 * 1440;
const WEEKDAY_NUMBERS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const VISITOR_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const clocks = new Map(); // zone -> formatter of its weekday, hour and minute
const timeFormats = new Map(); // zone -> formatter of a time with the zone's short name

function zoneFormat(cache, zone, options) {
  if (!cache.has(zone)) {
    let format;
    try {
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone: zone });
    } catch {
      format = new Intl.DateTimeFormat("en-US", options); // a zone this browser does not know: its own
    }
    cache.set(zone, format);
  }
  return cache.get(zone);
}

// Return [weekday, minute of the day] that clocks in `zone` show at `now`.
function wallClock(zone, now) {
  const format = zoneFormat(clocks, zone, { weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" });
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  return [WEEKDAY_NUMBERS[parts.weekday], (Number(parts.hour) % 24) * 60 + Number(parts.minute)];
}

function minutesOf(time) {
  const [hours, minutes] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

// Return the next meeting: { meeting, start, end (Dates), now (in progress) }, or null without a schedule.
// A meeting in progress comes first; without an end time a meeting is taken to last an hour.
function nextMeeting(schedule, now) {
  let best = null;
  let bestKey = Infinity;
  const minute = Math.floor(now.getTime() / 60000) * 60000;
  for (const meeting of schedule) {
    const [day, start, end, zone] = meeting;
    const [weekday, clock] = wallClock(zone, now);
    const startsAt = minutesOf(start);
    const length = end ? (minutesOf(end) - startsAt + 1440) % 1440 || 1440 : 60;
    const since = (((weekday - day) * 1440 + clock - startsAt) % WEEK + WEEK) % WEEK;
    const inProgress = since < length;
    const key = inProgress ? since - WEEK : WEEK - since;
    if (key < bestKey) {
      bestKey = key;
      const begins = new Date(minute + (inProgress ? -since : WEEK - since) * 60000);
      best = { meeting, start: begins, end: new Date(begins.getTime() + length * 60000), now: inProgress };
    }
  }
  return best;
}

function localDay(date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function clockText(date, zone) {
  return zoneFormat(timeFormats, zone, { hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(date);
}

function dayWord(date, now) {
  const tomorrow = new Date(now.getTime() + 86400000);
  if (localDay(date) === localDay(now)) return "today";
  if (localDay(date) === localDay(tomorrow)) return "tomorrow";
  return DAY_NAMES[date.getDay()];
}

// Return the meetings of the schedule table, or [] when it has none or should not say what is next (a group
// its source no longer lists may have stopped meeting).
function readSchedule() {
  const rows = document.querySelectorAll("table.schedule[data-next-meeting] tr[data-day]");
  return [...rows]
    .map((row) => [Number(row.dataset.day), row.dataset.start, row.dataset.end || "", row.dataset.timezone])
    .filter(([day, start, , zone]) => day >= 0 && day <= 6 && /^\d{1,2}:\d{2}$/.test(start || "") && zone);
}

// Fill `line` with "Next meeting: today, 7:00 PM EST" or "Meeting now, until 8:30 PM EST", in the visitor's
// time, and the meeting's own when that differs.
function showNextMeeting(line, schedule) {
  const now = new Date();
  const next = nextMeeting(schedule, now);
  const zone = next.meeting[3];
  const differs = zone !== VISITOR_ZONE && clockText(next.start, zone) !== clockText(next.start, VISITOR_ZONE);
  const strong = document.createElement("strong");
  line.classList.toggle("now", next.now);
  if (next.now) {
    strong.textContent = "Meeting now";
    line.replaceChildren(strong, `, until ${clockText(next.end, VISITOR_ZONE)}`
      + (differs ? ` (started ${clockText(next.start, zone)} where it meets)` : ""));
  } else {
    strong.textContent = `${dayWord(next.start, now)}, ${clockText(next.start, VISITOR_ZONE)}`;
    line.replaceChildren("Next meeting: ", strong, differs ? ` (${clockText(next.start, zone)} where it meets)` : "");
  }
}

// ---------------------------------------------------------------- share and print

function button(text, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "button secondary";
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}

function pageAddress() {
  const canonical = document.querySelector('link[rel="canonical"]');
  return canonical ? canonical.href : window.location.href.split("#")[0];
}

function say(status, text) {
  status.textContent = "";
  // A fresh text node after a moment, so the same words twice are announced twice.
  window.setTimeout(() => { status.textContent = text; }, 50);
}

async function copyLink(status) {
  const address = pageAddress();
  try {
    await navigator.clipboard.writeText(address);
    say(status, "Link copied");
  } catch {
    say(status, `Copy this link: ${address}`); // no clipboard here (or not allowed): the address itself
  }
}

async function share(status) {
  try {
    await navigator.share({ title: document.title, url: pageAddress() });
  } catch (error) {
    if (error && error.name === "AbortError") return; // the visitor closed the share sheet
    await copyLink(status);
  }
}

function actionBar() {
  const bar = document.createElement("div");
  bar.className = "listing-actions";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Share or print this listing");
  const status = document.createElement("p");
  status.className = "action-status";
  status.setAttribute("role", "status");
  const canShare = typeof navigator.share === "function";
  bar.append(
    canShare ? button("Share", () => share(status)) : button("Copy link", () => copyLink(status)),
    button("Print", () => window.print()),
    status,
  );
  return bar;
}

// ---------------------------------------------------------------- start

const header = document.querySelector(".listing-header");
if (header) {
  const lead = header.querySelector(".lead") || header.lastElementChild;
  const schedule = readSchedule();
  let after = lead;
  if (schedule.length) {
    const line = document.createElement("p");
    line.className = "listing-next";
    showNextMeeting(line, schedule);
    after.after(line);
    after = line;
    // Once a minute, so "Meeting now" comes and goes while the page stays open.
    window.setInterval(() => showNextMeeting(line, schedule), 60000);
  }
  after.after(actionBar());
}
