"""Catalog items: what can be requested, and whether it needs approval first."""

from __future__ import annotations

import attrs

from itsmcore.errors import ValidationError

__all__ = ["CatalogItem"]


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"catalog item {attribute.name!r} must be non-empty text, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class CatalogItem:
    """An orderable item of the service catalog (ServiceNow ``sc_cat_item``, iTop service
    subcategory). ``needs_approval`` sends requests for it through approval first."""

    name: str = attrs.field(validator=_non_empty)
    needs_approval: bool = False
    fulfilment_group: str | None = None
