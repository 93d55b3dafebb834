"""Markdown for texts the pact office edits, sanitised so no script can get in."""

import re
from html import escape

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "table",
                "thead", "tbody", "tr", "th", "td", "hr", "code"}


def _plain_paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part).strip()}</p>" for part in re.split(r"\n\s*\n", text) if part.strip())


def render_markdown(text: str) -> str:
    try:
        html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    except RecursionError:
        # Python-Markdown recurses once per level of nesting: a list or quote nested some hundred
        # levels deep (a thousand characters) exhausts the stack. Such a text is shown as plain
        # paragraphs rather than making its page fail for every visitor.
        html = _plain_paragraphs(text)
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener")
    return html.replace("<p>", '<p class="kern-body">').replace("<a ", '<a class="kern-link" ')
