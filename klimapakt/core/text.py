"""Markdown for texts the pact office edits, sanitised so no script can get in."""

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "table",
                "thead", "tbody", "tr", "th", "td", "hr", "code"}


def render_markdown(text: str) -> str:
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener")
    return html.replace("<p>", '<p class="kern-body">').replace("<a ", '<a class="kern-link" ')
