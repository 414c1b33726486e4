"""The model the stages share: the record and its parts, findings, parse warnings, failures,
and the record-id rule. Plain frozen dataclasses without I/O; every stage imports from here,
and `Record.to_dict` / `Record.from_dict` is the one crossing to the published format."""

from __future__ import annotations

from generator.model.agency import Agency, Region
from generator.model.failure import Failure, FailureKind, bug_failure
from generator.model.finding import LEVELS, Finding, Level, Status, count_levels
from generator.model.history import (
    Correction,
    PreviousVersion,
    RejectedCorrection,
    SourceEdit,
    TableChange,
)
from generator.model.identity import RECORD_ID_PATTERN, format_record_id, split_record_id
from generator.model.parse_info import Fingerprint, ParseInfo, SectionHeading
from generator.model.record import EDITIONS, Contact, Edition, Period, Record, Sections, Source
from generator.model.tables import (
    AppealGroup,
    AppealsTable,
    ProactiveRow,
    ProactiveTable,
    RequestRow,
    RequestsTable,
    Value,
)
from generator.model.warning import WARNING_CODES, ParseWarning

__all__ = [
    "EDITIONS",
    "LEVELS",
    "RECORD_ID_PATTERN",
    "WARNING_CODES",
    "Agency",
    "AppealGroup",
    "AppealsTable",
    "Contact",
    "Correction",
    "Edition",
    "Failure",
    "FailureKind",
    "Finding",
    "Fingerprint",
    "Level",
    "ParseInfo",
    "ParseWarning",
    "Period",
    "PreviousVersion",
    "ProactiveRow",
    "ProactiveTable",
    "Record",
    "Region",
    "RejectedCorrection",
    "RequestRow",
    "RequestsTable",
    "SectionHeading",
    "Sections",
    "Source",
    "SourceEdit",
    "Status",
    "TableChange",
    "Value",
    "bug_failure",
    "count_levels",
    "format_record_id",
    "split_record_id",
]
