// Quick exit: leave at once for a neutral site and take this page out of the browser history, so
// Back does not return here. Without JavaScript the link still leaves (a plain link that sends no
// referrer), but the page stays in the history. No keyboard shortcut: Escape already closes menus
// and clears search boxes, and an unexpected exit would lose someone's search; the link is the
// second Tab stop on every page, right after "Skip to main content".
for (const link of document.querySelectorAll("a.quick-exit, a.dock-exit")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    document.body.hidden = true; // nothing of this page stays on screen while the other site loads
    // In the embedded directory the link leaves the host page too (target="_top").
    try {
      (link.target === "_top" ? window.top : window).location.replace(link.href);
    } catch {
      window.location.replace(link.href); // a sandboxed frame may not navigate its host
    }
  });
}

// "Skip to main content" moves to the main part of the page without adding a step to the history: as a plain link
// to "#main" it adds one that changes nothing, so the next Back seems to do nothing. Without JavaScript it is that
// plain link, which works the same apart from the extra step.
const skip = document.querySelector("a.skip-link");
const main = document.getElementById("main");
if (skip && main) {
  skip.addEventListener("click", (event) => {
    if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // a new tab or window
    event.preventDefault();
    main.scrollIntoView();
    main.focus({ preventScroll: true }); // <main> has tabindex="-1"
  });
}

// The crisis lines stay one tap away: once those at the top of the page have scrolled out of sight, a bar at the
// foot of the screen offers 988 and the quick exit (partials/crisis_dock.html).
const top = document.querySelector(".crisis");
const dock = document.querySelector(".crisis-dock");
if (top && dock && "IntersectionObserver" in window) {
  new IntersectionObserver(([entry]) => {
    if (entry.isIntersecting && dock.contains(document.activeElement)) return; // not from under the keyboard
    dock.hidden = entry.isIntersecting;
    document.body.classList.toggle("docked", !entry.isIntersecting);
  }).observe(top);
  // The page's end stays above the bar however many rows its links take (three in Spanish on a narrow phone).
  if ("ResizeObserver" in window) {
    new ResizeObserver(() => document.documentElement.style.setProperty("--dock-height", `${dock.offsetHeight}px`))
      .observe(dock);
  }
}
