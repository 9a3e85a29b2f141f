// The button that shows and hides a map (map.js draws it). The script makes it: without JavaScript there is
// no map, so the page has no button that could not work.

import { _ } from "./text.js";

// Put a toggle for `box` before `where` (the box itself unless told); return the function that opens
// (true) or closes (false) the map, which also calls `onChange(open)`.
export function mapToggle(box, onChange, where = box) {
  const bar = document.createElement("div");
  bar.className = "map-bar";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button secondary map-toggle";
  button.id = `${box.id}-toggle`;
  button.setAttribute("aria-controls", box.id);
  const set = (open) => {
    box.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? _("Hide map") : _("Show map");
    onChange(open);
  };
  button.addEventListener("click", () => set(box.hidden));
  bar.append(button);
  where.before(bar);
  button.setAttribute("aria-expanded", "false");
  button.textContent = _("Show map");
  return set;
}
