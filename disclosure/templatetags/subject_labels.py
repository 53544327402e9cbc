"""Labels that depend on the subject's type, for templates that hold only a snapshot (reports)."""

from django import template

register = template.Library()


@register.filter
def fact_label_for(label: str, snapshot_subject: dict) -> str:
    """`{{ label|fact_label_for:snapshot.subject }}`: 法定代表人 of an individual business is its 经营者."""
    from disclosure.selectors.public import report_fact_label

    return report_fact_label(label, snapshot_subject)


@register.filter
def translated(value):
    """A snapshot's value in the reader's language when it is one of the catalogue's texts (企业选择不公示);
    anything else (names, numbers, None) as it is. `{% translate value %}` fails on a non-string."""
    from django.utils.translation import gettext

    return gettext(value) if isinstance(value, str) and value else value
