from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345 -> 12,345 (django.contrib.humanize's intcomma localises to no separator in zh-hans)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
