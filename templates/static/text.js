// The interface text of the page's language, for the scripts. English is the text itself; a page in another
// language carries the translations of the scripts' text (<script type="application/json" id="ui-text">),
// which the build takes from the same catalogs as the templates'. Text is marked _("…") and
// ngettext("…", "…", n) so that `make messages` finds it; %(name)s stands for a value, as in the templates.

export const LANG = document.documentElement.lang || "en";
const holder = document.getElementById("ui-text");
const table = holder ? JSON.parse(holder.textContent) : {};
const plurals = new Intl.PluralRules(LANG);

function fill(text, values) {
  return text.replace(/%\((\w+)\)s|%%/g, (match, name) => (name === undefined ? "%" : String(values[name] ?? match)));
}

// Return a text in the page's language, its %(name)s filled from `values`.
export function _(text, values = {}) {
  return fill(table[text] || text, values);
}

// Return the form of a text for the number `n` in the page's language; %(num)s is `n`.
export function ngettext(singular, plural, n, values = {}) {
  const forms = table[singular];
  const text = forms ? forms[plurals.select(n)] || forms.other : n === 1 ? singular : plural;
  return fill(text, { num: n, ...values });
}
