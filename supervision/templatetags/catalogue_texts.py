"""Texts kept as data that the translation catalogue may hold (the default measures, rule labels)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(value):
    """`{{ entry.measure|translated }}`: in the reader's language when the catalogue has it; anything
    else (an administrator's own wording, a number, None) as it is. `{% translate value %}` fails on a
    non-string, which a catalogue typed as JSON may hold."""
    return gettext(value) if isinstance(value, str) and value else value
