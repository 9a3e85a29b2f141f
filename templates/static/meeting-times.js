// When a group next meets, worked out in the visitor's browser, for the directory's cards (directory.js) and
// a listing's page (listing.js). A meeting is [weekday (0 Sunday), "HH:MM" start, "HH:MM" end or "", IANA
// time zone], in its own zone's wall-clock time; what is said is in the visitor's own time with the zone
// named, and in the meeting's own too when that differs. (Across a change to or from daylight saving
// time, a meeting more than a day away can be an hour out until the change has passed.)
// The build gives this file a fingerprinted name and rewrites the imports of it to that name.

import { LANG, _ } from "./text.js";

// The weekdays in the page's language, Sunday first (1 January 2023 was a Sunday).
const weekdayFormat = new Intl.DateTimeFormat(LANG, { weekday: "long", timeZone: "UTC" });
export const DAY_NAMES = Array.from({ length: 7 }, (unused, day) => weekdayFormat.format(Date.UTC(2023, 0, 1 + day)));
const WEEK = 7 * 1440;
const WEEKDAY_NUMBERS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const VISITOR_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
// The directory's meetings are in the United States: times are written as they are read there, in the page's
// language ("7:00 PM" in English, "7:00 p.m." in Spanish, with the zone as "EST" rather than "GMT-5").
const CLOCK_LOCALE = LANG.includes("-") ? LANG : `${LANG}-US`;
const clocks = new Map(); // zone -> formatter of its weekday, hour and minute
const timeFormats = new Map(); // zone -> formatter of a time with the zone's short name
const zoneNames = new Map(); // zone -> formatter of the zone's generic name
// What the formatters said, by zone and instant: a formatter takes tens of microseconds a call, and one update
// of the directory asks the same few zones about the same instant for every meeting it looks at.
const said = new Map();

function remember(key, work) {
  let value = said.get(key);
  if (value === undefined) {
    if (said.size >= 2000) said.clear();
    value = work();
    said.set(key, value);
  }
  return value;
}

// `locale`: the page's language for what is shown; wallClock reads English weekday names.
function zoneFormat(cache, zone, options, locale = LANG) {
  if (!cache.has(zone)) {
    let format;
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    } catch {
      format = new Intl.DateTimeFormat(locale, options); // a zone this browser does not know: its own
    }
    cache.set(zone, format);
  }
  return cache.get(zone);
}

// Return [weekday, minute of the day] that clocks in `zone` show at `now`.
function wallClock(zone, now) {
  return remember(`clock ${zone} ${now.getTime()}`, () => readClock(zone, now));
}

function readClock(zone, now) {
  const format = zoneFormat(clocks, zone, { weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" },
    "en-US");
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  return [WEEKDAY_NUMBERS[parts.weekday], (Number(parts.hour) % 24) * 60 + Number(parts.minute)];
}

function minutesOf(time) {
  const [hours, minutes] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

// Return the schedule's next meeting: { meeting, start, end (Dates), now (in progress), key (minutes until
// it starts; below zero while one is on) }, or null for no meetings. A meeting in progress comes first;
// without an end time a meeting is taken to last an hour.
export function nextMeeting(schedule, now) {
  let best = null;
  const minute = Math.floor(now.getTime() / 60000) * 60000;
  for (const meeting of schedule) {
    const [day, start, end, zone] = meeting;
    const [weekday, clock] = wallClock(zone, now);
    const startsAt = minutesOf(start);
    const length = end ? (minutesOf(end) - startsAt + 1440) % 1440 || 1440 : 60;
    const since = (((weekday - day) * 1440 + clock - startsAt) % WEEK + WEEK) % WEEK;
    const inProgress = since < length;
    const key = inProgress ? since - WEEK : WEEK - since;
    if (!best || key < best.key) {
      const begins = new Date(minute + (inProgress ? -since : WEEK - since) * 60000);
      best = { meeting, start: begins, end: new Date(begins.getTime() + length * 60000), now: inProgress, key };
    }
  }
  return best;
}

// Return a wall-clock time ("19:00", as the content writes it) as the page's language writes it in the United
// States: "7:00 PM" in English, "7:00 p.m." in Spanish, as a next meeting's time is written, and as the listing's
// page writes its times (generator/i18n.py): with a no-break space before "PM", whichever space this browser's
// Intl puts there.
// (timeStyle "short" is CLDR's short time pattern, which Babel writes on the page: "07:05" in French, as there.)
const wallTimeFormat = new Intl.DateTimeFormat(CLOCK_LOCALE, { timeStyle: "short", timeZone: "UTC" });

export function wallTime(time) {
  const [hours, minutes] = time.split(":").map(Number);
  return wallTimeFormat.format(Date.UTC(2023, 0, 1, hours % 24, minutes)).replace(/[\u202f ]/g, "\u00a0");
}

export function localDay(date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function clockText(date, zone) {
  return remember(`time ${zone} ${date.getTime()}`,
    () => zoneFormat(timeFormats, zone, { hour: "numeric", minute: "2-digit", timeZoneName: "short" }, CLOCK_LOCALE)
      .format(date));
}

function dayWord(date, now) {
  const tomorrow = new Date(now.getTime() + 86400000);
  if (localDay(date) === localDay(now)) return _("today");
  if (localDay(date) === localDay(tomorrow)) return _("tomorrow");
  return DAY_NAMES[date.getDay()];
}

// Return the words for a next meeting, in three parts for the page to set the middle one in bold:
// "Next meeting: " "today, 4:00 PM PST" " (7:00 PM EST where it meets)", or "" "Meeting now" ", until …".
export function nextMeetingWords(next, now) {
  const zone = next.meeting[3];
  const differs = zone !== VISITOR_ZONE && clockText(next.start, zone) !== clockText(next.start, VISITOR_ZONE);
  if (next.now) {
    return ["", _("Meeting now"), _(", until %(end)s", { end: clockText(next.end, VISITOR_ZONE) })
      + (differs ? _(" (started %(start)s where it meets)", { start: clockText(next.start, zone) }) : "")];
  }
  return [_("Next meeting: "), _("%(day)s, %(time)s", { day: dayWord(next.start, now), time: clockText(next.start, VISITOR_ZONE) }),
    differs ? _(" (%(time)s where it meets)", { time: clockText(next.start, zone) }) : ""];
}

// Return a zone's name that holds in winter and summer alike: "Eastern Time", not "EST" or "EDT".
export function zoneName(zone, now) {
  return remember(`name ${zone} ${now.getTime()}`, () => {
    const part = zoneFormat(zoneNames, zone, { timeZoneName: "longGeneric" }).formatToParts(now).find((p) => p.type === "timeZoneName");
    return part ? part.value : "";
  });
}
