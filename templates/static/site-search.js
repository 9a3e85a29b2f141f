// The header's search box, with JavaScript: straight to the directory's live search, with the words after
// '#', which browsers never send, so no server (ours or the CDN's) learns what someone searched for.
// Without JavaScript the form goes to /search/, which says that searching needs it.
const form = document.querySelector("form.site-search");

form?.addEventListener("submit", (event) => {
  const words = form.elements.namedItem("q").value.trim();
  event.preventDefault();
  location.assign(form.dataset.directory + (words ? `#${new URLSearchParams({ q: words })}` : ""));
});
