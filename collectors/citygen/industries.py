"""What subjects do: market industries, the organisations' fields, and farmer cooperatives' products.

Why: an industry decides most of a subject's records — the words of its name, the scope
items that call for a licence, which departments license, inspect and punish it, and what
consumers complain about — so the feeds of a demo city fit together as a real city's do.
The tables live in `data/industries.json`.
"""

from __future__ import annotations

from dataclasses import dataclass

from collectors.citygen.data import table, tuples

_INDUSTRIES = table("industries")


@dataclass(frozen=True)
class Industry:
    code: str
    name_words: tuple[str, ...]  # the industry part of an enterprise name
    shop_endings: tuple[str, ...]  # name endings of individual businesses; empty: none
    licensed_scope: tuple[str, ...]  # scope items needing a licence (one or two are picked)
    general_scope: tuple[str, ...]  # general scope items
    enterprise_weight: float
    individual_weight: float
    extra_licences: tuple[
        tuple[str, float], ...
    ] = ()  # licences outside the catalogue: (department, probability)
    inspected_by: tuple[str, ...] = ()  # departments that inspect it besides SCJG
    punished_by: tuple[str, ...] = ()  # departments that punish it most often
    complaint_categories: tuple[str, ...] = ("quality", "price", "contract", "after_sales")

    @classmethod
    def from_row(cls, row: dict) -> Industry:
        return cls(
            row["code"],
            tuple(row.get("name_words", ())),
            tuple(row.get("shop_endings", ())),
            tuple(row.get("licensed_scope", ())),
            tuple(row.get("general_scope", ())),
            row.get("enterprise_weight", 0),
            row.get("individual_weight", 0),
            tuples(row["extra_licences"]),
            tuple(row["inspected_by"]),
            tuple(row["punished_by"]),
            tuple(row["complaint_categories"]),
        )


# Market industries of enterprises and individual businesses, drawn by their weights.
INDUSTRIES: tuple[Industry, ...] = tuple(Industry.from_row(row) for row in _INDUSTRIES["market"])
# Industries of social organisations, public institutions and agencies: who licenses, inspects, punishes them.
ORG_INDUSTRIES: dict[str, Industry] = {
    row["code"]: Industry.from_row(row) for row in _INDUSTRIES["organisations"]
}
# (type, weight): a city's registry is mostly individual businesses and enterprises.
SUBJECT_TYPES: tuple[tuple[str, float], ...] = tuples(_INDUSTRIES["subject_types"])
COOP_PRODUCTS: tuple[tuple[str, str, str], ...] = tuples(_INDUSTRIES["cooperative_products"])
_COOPERATIVE = _INDUSTRIES["cooperative"]


def cooperative_industry(code: str, product: str) -> Industry:
    """A farmer cooperative's industry: its product names it; agriculture and the market punish it."""
    return Industry(
        code,
        (product,),
        (),
        (),
        (),
        0,
        0,
        (),
        (),
        tuple(_COOPERATIVE["punished_by"]),
        tuple(_COOPERATIVE["complaint_categories"]),
    )
