from warning_system.registry import contract
from warning_system.registry.contract_labels import LABELS
from warning_system.registry.models import _label, enum_choices


def test_every_contract_label_is_listed_for_translation():
    used = {k.label for k in contract.KINDS.values()}
    used |= {_label(f) for k in contract.KINDS.values() for f in k.fields}
    used |= {label for enum in contract.ENUMS for _, label in enum_choices(enum)}
    assert {label for label in used if not label.isascii()} <= set(LABELS)
