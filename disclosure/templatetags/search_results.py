"""The rows of the search page, built in Python.

A search page shows up to 50 rows of ten fields each; through the template engine (and even
through `format_html`, whose lazy-string checks wrap every escape) those 500 values cost more CPU
than the search itself. Every value is a plain string escaped with `html.escape`, which is what
Django's autoescaping applies.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

ROW = (
    '<li><a class="colours-badge-link" href="{colours_path}#colour-{colour}" title="{colours_title}">'
    '<span class="badge badge-{colour}" data-colour="{colour}">{colour_label}</span></a>\n'
    '      <a href="{path}{uscc}">{name}</a>\n'
    '      <span class="muted">{uscc} · {type_label} · {status_label}{representative}</span></li>\n'
)
REPRESENTATIVE = ' · {label}{colon}<span data-field="legal_representative">{name}</span>'


def _highlighted(name: str, match: tuple[int, int] | None) -> str:
    """The name escaped, the characters that matched the query in <mark>."""
    if not match:
        return escape(name)
    start, end = match
    return f"{escape(name[:start])}<mark>{escape(name[start:end])}</mark>{escape(name[end:])}"


def _row(hit, path: str, colon: str, colours: dict[str, str]) -> str:
    representative = hit["legal_representative"]
    return ROW.format(
        **colours,
        colour=escape(hit["colour"]),
        colour_label=escape(hit["colour_label"]),
        path=path,
        uscc=escape(hit["uscc"]),
        name=_highlighted(hit["name"], hit.get("match")),
        type_label=escape(hit["type_label"]),
        status_label=escape(hit["status_label"]),
        representative=REPRESENTATIVE.format(
            label=escape(hit["representative_label"]), colon=escape(colon), name=escape(representative)
        )
        if representative
        else "",
    )


@register.simple_tag
def search_result_items(hits, subject_path: str) -> SafeString:
    """The <li> of each disclosure.selectors.public.SearchHit; `subject_path` is the subject URL's prefix."""
    path, colon = escape(subject_path), gettext("：")  # once per page: the language's colon
    # Every colour badge links to the page that explains the colours (as the badge include does).
    colours = {
        "colours_path": escape(reverse("disclosure:colours")),
        "colours_title": escape(gettext("查看该颜色的含义")),
    }
    return mark_safe("".join(_row(hit, path, colon, colours) for hit in hits))
