// The "Embed this directory" page: build the one-line snippet from the chosen filters and theme, show a
// live preview made by that very snippet (embed.js itself), and copy it. Without JavaScript the page shows
// a default snippet and the list of options.

import { _ } from "./text.js";

const form = document.getElementById("builder");
const snippetBox = document.getElementById("snippet");
const preview = document.getElementById("preview");
const copyButton = document.getElementById("copy");
const copyStatus = document.getElementById("copy-status");
const PRESETS = [...form.querySelectorAll("[data-preset]")].map((field) => field.name); // the filters it starts with
const DEFAULT_ACCENT = form.elements.namedItem("accent").defaultValue.toLowerCase();
// Absolute, so the snippet works when pasted into another site.
const scriptUrl = new URL(form.dataset.script, location.href).href;

function escapeAttribute(value) {
  return String(value).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// Return the snippet's data- attributes as [name, value] pairs, leaving out defaults.
function chosenAttributes() {
  const data = new FormData(form);
  const pairs = PRESETS.map((name) => [name, String(data.get(name) || "")]).filter(([, value]) => value);
  const accent = String(data.get("accent") || "").toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(accent) && accent !== DEFAULT_ACCENT) pairs.push(["accent", accent]);
  if (data.get("map")) pairs.push(["map", String(data.get("map"))]);
  const theme = String(data.get("theme") || "");
  if (theme) pairs.push(["theme", theme]);
  const title = String(data.get("title") || "").trim();
  if (title) pairs.push(["title", title]); // without one, embed.js names the frame in the directory's language
  return pairs;
}

function snippetFor(pairs) {
  const attributes = pairs.map(([name, value]) => ` data-${name}="${escapeAttribute(value)}"`).join("");
  return `<script async src="${escapeAttribute(scriptUrl)}"${attributes}></` + "script>";
}

// The preview runs the real embed.js with the same attributes, exactly as a host page would.
function showPreview(pairs) {
  const script = document.createElement("script");
  script.async = true;
  script.src = scriptUrl;
  for (const [name, value] of pairs) script.dataset[name] = value;
  preview.replaceChildren(script);
}

function update() {
  const pairs = chosenAttributes();
  snippetBox.value = snippetFor(pairs);
  copyStatus.textContent = "";
  showPreview(pairs);
}

async function copySnippet() {
  try {
    await navigator.clipboard.writeText(snippetBox.value);
  } catch {
    snippetBox.select();
    document.execCommand("copy");
  }
  copyStatus.textContent = _("Copied. Paste it into your page's HTML.");
}

let typing = 0;
form.addEventListener("change", update);
form.addEventListener("input", (event) => {
  if (event.target.type !== "text") return;
  clearTimeout(typing);
  typing = setTimeout(update, 400);
});
form.addEventListener("submit", (event) => event.preventDefault());
copyButton.hidden = false;
copyButton.addEventListener("click", copySnippet);
update();
