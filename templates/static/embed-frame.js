// The frame side of the embedded directory (/embed/): the theme an embedding site asked for, and the
// page's height, posted to that site so embed.js can size the frame. URL parameters are untrusted: the
// theme is one of two words, the accent only a hex colour, set through the CSSOM (never as markup), and
// the height goes only to the origin embed.js named — a page that frames us without one gets nothing.

const params = new URLSearchParams(location.search);
const root = document.documentElement;
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const MESSAGE = "peer-support-directory:height";

function parseHex(hex) {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : hex.slice(1).match(/../g);
  return digits.map((d) => parseInt(d, 16));
}

function toHex(rgb) {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

// Move a colour towards black or white until it reads at 4.5:1 on the background (WCAG AA for text).
function readableOn(color, background) {
  const target = luminance(background) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  let rgb = color;
  for (let i = 0; i < 20 && contrast(rgb, background) < 4.5; i++) rgb = rgb.map((c, j) => c + (target[j] - c) * 0.15);
  return rgb;
}

function applyTheme() {
  const theme = params.get("theme");
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  const accent = params.get("accent");
  if (!accent || !HEX.test(accent)) return;
  const background = getComputedStyle(root).getPropertyValue("--bg").trim();
  const color = readableOn(parseHex(accent), HEX.test(background) ? parseHex(background) : [255, 255, 255]);
  root.style.setProperty("--accent", toHex(color));
  root.style.setProperty("--accent-fg", contrast(color, [255, 255, 255]) >= contrast(color, [0, 0, 0]) ? "#ffffff" : "#000000");
}

// Return the embedding page's origin when embed.js passed a well-formed one and we are in a frame.
function parentOrigin() {
  const value = params.get("origin");
  if (!value || window.parent === window) return null;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

function postHeights(origin) {
  let last = 0;
  const post = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: MESSAGE, height }, origin);
  };
  new ResizeObserver(post).observe(root);
  post();
}

applyTheme();
const origin = parentOrigin();
if (origin) postHeights(origin);
