"""Markdown to HTML. Listing and article text is untrusted: raw HTML shows as text, and only
http(s), mailto and tel links (and site-relative ones) survive."""
from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

from .addresses import url

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
                "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
                      "h2": {"id"}, "h3": {"id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class MarkdownRenderer:
    """A reusable Markdown converter that never lets raw HTML or unsafe links through."""

    def __init__(self, path_prefix: str = "") -> None:
        self._prefix = path_prefix
        self._md = markdown.Markdown(extensions=["sane_lists", "tables", "smarty"], output_format="html")
        # Raw HTML in Markdown would otherwise pass straight into the page.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    @property
    def path_prefix(self) -> str:
        return self._prefix

    def render(self, text: str) -> Markup:
        """Return safe HTML for Markdown text."""
        if not text.strip():  # what Markdown and nh3 make of it; most listings have no description
            return Markup("")
        html = self._md.reset().convert(text)
        clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                          link_rel="noopener noreferrer", attribute_filter=self._prefix_site_links)
        return Markup(clean)

    def _prefix_site_links(self, element: str, attribute: str, value: str) -> str:
        """Point site-relative links (starting with '/') under the site's path when it is not served at the root."""
        if attribute == "href" and value.startswith("/") and not value.startswith("//"):
            return url(self._prefix, value)
        return value
