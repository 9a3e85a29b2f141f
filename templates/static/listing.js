// A listing page a visitor can act on: when the group next meets, in the visitor's own time, and buttons to
// share and print the page. Progressive enhancement: without this script the schedule table says when it meets,
// and no button that could not work is shown. Nothing here is sent anywhere.
//
// When it next meets comes from meeting-times.js, which the directory's cards use too.

import { nextMeeting, nextMeetingWords } from "./meeting-times.js";
import { _ } from "./text.js";

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
  const [before, words, after] = nextMeetingWords(next, now);
  const strong = document.createElement("strong");
  strong.textContent = words;
  line.classList.toggle("now", next.now);
  line.replaceChildren(...[before, strong, after].filter(Boolean));
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
    say(status, _("Link copied"));
  } catch {
    say(status, _("Copy this link: %(address)s", { address })); // no clipboard here (or not allowed): the address itself
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
  bar.setAttribute("aria-label", _("Share or print this listing"));
  const status = document.createElement("p");
  status.className = "action-status";
  status.setAttribute("role", "status");
  const canShare = typeof navigator.share === "function";
  bar.append(
    canShare ? button(_("Share"), () => share(status)) : button(_("Copy link"), () => copyLink(status)),
    button(_("Print"), () => window.print()),
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
  // Sharing and printing come after the way in (the page's own .listing-go), where the page has one.
  (header.querySelector(".listing-go") || after).after(actionBar());
}
