// The language switch: the same page in another language, with the visitor's search and filters kept (they
// live in the address's query and fragment, which the links written at build time cannot know).
for (const link of document.querySelectorAll("a[data-same-page]")) {
  link.addEventListener("click", () => {
    const target = new URL(link.href);
    target.search = location.search;
    target.hash = location.hash;
    link.href = target.href;
  });
}
