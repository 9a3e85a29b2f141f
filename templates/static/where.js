// "Where are you?" on the home page: a ZIP code, a town or this browser's location, straight to nearby
// results. The place goes to the directory after '#', which browsers never send to the server, so where a
// visitor is looking stays in this browser. Without JavaScript the page hides the form's box (no-script.css) and
// leads to the states' pages instead.
import { _ } from "./text.js";

const form = document.getElementById("where");

function goTo(params) {
  location.assign(`${form.dataset.directory}#${new URLSearchParams(params)}`);
}

if (form) {
  const near = document.getElementById("w-near");
  const status = document.getElementById("w-status");
  form.addEventListener("submit", (event) => {
    const place = form.elements.namedItem("place").value.trim();
    event.preventDefault();
    if (!place) { // nothing typed: say what is needed here, rather than open the whole country's list
      status.textContent = _("Type a ZIP code or a town first.");
      form.elements.namedItem("place").focus();
      return;
    }
    goTo({ place, sort: "distance" });
  });
  if ("geolocation" in navigator) {
    near.hidden = false;
    near.addEventListener("click", () => {
      status.textContent = _("Finding your location… (it stays in this browser)");
      navigator.geolocation.getCurrentPosition(
        // ("located": the directory then calls the point "your location", and drops the word from its address.)
        (position) => goTo({ at: `${position.coords.latitude.toFixed(2)},${position.coords.longitude.toFixed(2)}`,
          sort: "distance", located: "1" }),
        (error) => {
          status.textContent = error.code === error.PERMISSION_DENIED
            ? _("Location access was not allowed. Type a ZIP code or a town instead.")
            : _("Your location could not be found right now. Type a ZIP code or a town instead.");
        },
        { timeout: 10000, maximumAge: 600000 },
      );
    });
  }
}
