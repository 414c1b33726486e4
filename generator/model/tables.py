"""The three statistical tables of a record (sections 二, 三, 四) and the one way to read a cell.

Shapes follow record.md and keep exactly what the report printed:

- section 二 (`proactive`): rows by id, each with the fields its header named, in that order
  (an edition's fields, `record.PROACTIVE_2021` / `PROACTIVE_2019`; a mixed or mis-headed table
  keeps what was printed, the checks say what is wrong with it);
- section 三 (`requests`): rows by id, each seven values in `record.REQUEST_COLUMNS` order; rows
  in the edition's order, then rows of the other edition the report printed;
- section 四 (`appeals`): three groups of five cells.

A cell is an int (a count), a float (money, as printed) or None (blank: never 0). Every accessor
returns None for a missing table, row or cell, so a caller decides what a null means.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.record import APPEAL_FIELDS, APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_GROUPS

Value = int | float | None
"""A table cell: a count (int), an amount (float, money cells only) or None (blank)."""

TOTAL_COLUMN = len(REQUEST_COLUMNS) - 1
"""Index of the 总计 column in a section 三 row."""


def count(value: object) -> int | None:
    """The cell as an integer count, or None (blank, or a value that is not one: a decimal)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def number(value: object) -> int | float | None:
    """The cell as a number (count or amount), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _value(value: Any, where: str) -> Value:
    """A cell read at the YAML/JSON boundary: a number or null, nothing else."""
    if value is None or isinstance(value, int | float):
        return value
    raise ValueError(f"{where}: expected a number or null, got {value!r}")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping, got {value!r}")
    return value


# ---- section 二 --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProactiveRow:
    key: str
    """Row id: rules, normative_docs, licensing, other_services, penalty, coercion, fees,
    procurement (record.PROACTIVE_2021 / PROACTIVE_2019)."""
    cells: tuple[tuple[str, Value], ...]
    """(field, value) in the order the report's header named them (`issued`, `amount`, …)."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.cells)

    def get(self, field: str) -> Value:
        """The field's value; None when blank or when the row has no such field."""
        for name, value in self.cells:
            if name == field:
                return value
        return None

    def __contains__(self, field: object) -> bool:
        return any(name == field for name, _ in self.cells)


def _index(rows: Sequence[ProactiveRow | RequestRow]) -> dict[str, int]:
    """Row id -> position (the first row of an id, as a dict of the published form keeps)."""
    index: dict[str, int] = {}
    for position, row in enumerate(rows):
        index.setdefault(row.key, position)
    return index


@dataclass(frozen=True, slots=True)
class ProactiveTable:
    rows: tuple[ProactiveRow, ...]
    """In the edition's order, then rows of the other edition the report printed."""
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    """Row id -> position: the checks look rows up thousands of times per record."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _index(self.rows))

    def row(self, key: str) -> ProactiveRow | None:
        position = self._index.get(key)
        return self.rows[position] if position is not None else None

    def value(self, row: str, field: str) -> Value:
        found = self.row(row)
        return found.get(field) if found is not None else None

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[ProactiveRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {row.key: dict(row.cells) for row in self.rows}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProactiveTable:
        rows = []
        for key, cells in _mapping(data, "proactive").items():
            where = f"proactive.{key}"
            pairs = _mapping(cells, where).items()
            rows.append(
                ProactiveRow(str(key), tuple((str(f), _value(v, f"{where}.{f}")) for f, v in pairs))
            )
        return cls(tuple(rows))


# ---- section 三 --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestRow:
    key: str
    """Row id (record.REQUEST_ROWS_2021 / REQUEST_ROWS_2019): received, granted, …"""
    values: tuple[Value, ...]
    """Seven values: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计."""

    def cell(self, column: int) -> Value:
        return self.values[column] if 0 <= column < len(self.values) else None

    @property
    def total(self) -> Value:
        """The 总计 column."""
        return self.cell(TOTAL_COLUMN)


_GROUP_ROWS = {group: rows for group, _label, rows in REQUEST_GROUPS}


@dataclass(frozen=True, slots=True)
class RequestsTable:
    rows: tuple[RequestRow, ...]
    """In the edition's order, then rows of the other edition the report printed."""
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    """Row id -> position: the checks look rows up thousands of times per record."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _index(self.rows))

    def row(self, key: str) -> RequestRow | None:
        position = self._index.get(key)
        return self.rows[position] if position is not None else None

    def cell(self, row: str, column: int) -> Value:
        """One cell by row id and column index (REQUEST_COLUMNS); None when absent."""
        found = self.row(row)
        return found.cell(column) if found is not None else None

    def total(self, row: str) -> Value:
        """The 总计 column of one row, or None."""
        return self.cell(row, TOTAL_COLUMN)

    def group_total(self, group: str) -> Value:
        """Sum of the 总计 of a result group's rows that the table has (REQUEST_GROUPS:
        denied, unable, …); None when it has none of them or any of them is blank."""
        present = [row for row in _GROUP_ROWS[group] if row in self]
        values = [self.total(row) for row in present]
        if not values or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[RequestRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {row.key: list(row.values) for row in self.rows}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RequestsTable:
        rows = []
        for key, values in _mapping(data, "requests").items():
            where = f"requests.{key}"
            if not isinstance(values, Sequence) or isinstance(values, str):
                raise ValueError(f"{where}: expected a list of values, got {values!r}")
            rows.append(
                RequestRow(
                    str(key), tuple(_value(v, f"{where}[{i}]") for i, v in enumerate(values))
                )
            )
        return cls(tuple(rows))


# ---- section 四 --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AppealGroup:
    upheld: Value = None
    """结果维持"""
    corrected: Value = None
    """结果纠正"""
    other: Value = None
    """其他结果"""
    pending: Value = None
    """尚未审结"""
    total: Value = None
    """总计"""

    def get(self, field: str) -> Value:
        """A cell by field name (record.APPEAL_FIELDS)."""
        if field not in APPEAL_FIELDS:
            raise KeyError(field)
        value: Value = getattr(self, field)
        return value

    def values(self) -> tuple[Value, ...]:
        return tuple(self.get(field) for field in APPEAL_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        return {field: self.get(field) for field in APPEAL_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str) -> AppealGroup:
        cells = _mapping(data, where)
        return cls(*(_value(cells.get(f), f"{where}.{f}") for f in APPEAL_FIELDS))


@dataclass(frozen=True, slots=True)
class AppealsTable:
    review: AppealGroup
    """行政复议"""
    suit_direct: AppealGroup
    """行政诉讼·未经复议直接起诉"""
    suit_after_review: AppealGroup
    """行政诉讼·复议后起诉"""

    def group(self, key: str) -> AppealGroup:
        """A group by id (record.APPEAL_GROUPS)."""
        if key not in _APPEAL_GROUP_KEYS:
            raise KeyError(key)
        group: AppealGroup = getattr(self, key)
        return group

    def groups(self) -> tuple[tuple[str, AppealGroup], ...]:
        return tuple((key, self.group(key)) for key in _APPEAL_GROUP_KEYS)

    def value(self, group: str, field: str) -> Value:
        return self.group(group).get(field)

    def to_dict(self) -> dict[str, Any]:
        return {key: group.to_dict() for key, group in self.groups()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AppealsTable:
        groups = _mapping(data, "appeals")
        return cls(
            *(
                AppealGroup.from_dict(groups.get(key) or {}, f"appeals.{key}")
                for key in _APPEAL_GROUP_KEYS
            )
        )


_APPEAL_GROUP_KEYS = tuple(key for key, _ in APPEAL_GROUPS)
