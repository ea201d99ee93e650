"""Pydantic types and models shared by the API's resources.

Request bodies are strict where JSON is: an unknown field is refused (``extra="forbid"``), a whole
number must be a JSON integer (not ``true``, not ``"3"``), an amount a JSON number. Pydantic's lax
mode would take ``false`` as 0; full strict mode would refuse ``2.0``, which JSON Schema counts as an
integer, so the check is a validator that refuses booleans and strings only. ``Field`` comes before
the validator in ``Annotated`` so that the bounds appear in the schema as minimum / maximum.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

#: Numeric(14, 2): at most 12 digits before the point (the HTML forms' MONEY_MAX).
MONEY_MAX = Decimal("999999999999.99")


def invalid(message: str) -> PydanticCustomError:
    """A validation error whose reason is ``message`` as it is (a ValueError's gets a prefix)."""
    return PydanticCustomError("value_error", message)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


#: A stored moment, always with its offset.
Moment = Annotated[datetime, AfterValidator(_utc)]


def _number_only(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("a JSON number is required")
    return value


def _whole_only(value: Any) -> Any:
    _number_only(value)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("a whole number is required")
    return int(value)


def _two_decimals(value: Any) -> Decimal:
    _number_only(value)
    amount = Decimal(str(value))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("at most two decimals")
    return amount


def whole(minimum: int, maximum: int) -> Any:
    """A JSON integer within [minimum, maximum]."""
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_whole_only)]


#: An amount in 万元: 0 or more, at most two decimals.
Money = Annotated[Decimal, Field(ge=0, le=MONEY_MAX), BeforeValidator(_two_decimals),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MONEY_MAX),
                                  "multipleOf": 0.01})]


class Body(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    """Query arguments: unknown ones are refused too (a typo must not widen a filter silently)."""

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel):
    """A page of a list: items in a stable order (by id unless the resource says otherwise)."""

    total: int
    page: int
    per_page: int


class PageQuery(Query):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=500)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page
