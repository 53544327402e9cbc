from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345 -> 12,345 (django.contrib.humanize's intcomma localises to no separator in zh-hans)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def wan(value) -> str:
    """A 万元 amount without trailing zeros: 20.000000 -> 20, 1250.5 -> 1,250.5."""
    from disclosure.selectors.public import display_amount

    return display_amount(value) if value is not None else ""


@register.filter
def wan_money(value) -> str:
    """A 万元 amount as a reader of the page's language writes money: 50 万元 in Chinese, RMB 500,000
    in English (English has no 万: the amount is multiplied out)."""
    from decimal import Decimal

    from django.utils import translation

    from disclosure.selectors.public import display_amount

    if value is None:
        return ""
    if translation.get_language() and translation.get_language().startswith("zh"):
        return f"{display_amount(value)} 万元"
    return f"RMB {display_amount(Decimal(value) * 10000)}"


@register.filter
def percent(value) -> str:
    """0.333 -> 33%."""
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""
