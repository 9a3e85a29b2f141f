// The header's search form leads to /search/, which says that searching needs JavaScript. With JavaScript,
// this hands the search straight to the directory's live search, with the same words, after '#' (which is
// never sent, so the directory's request does not carry them again), replacing /search/ in the history: Back
// returns to the page the search started from. Loaded as a classic script in <head>, so it runs before the page
// is drawn.
location.replace(document.currentScript.dataset.directory
  + (location.search.length > 1 ? `#${location.search.slice(1)}` : location.hash));
