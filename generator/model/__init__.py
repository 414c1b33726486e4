"""The model the stages share: record identity, failures (and, as the model grows, the typed
record, findings and warnings). One place for each rule; every stage imports from here."""

from __future__ import annotations

from generator.model.failure import Failure, FailureKind, bug_failure
from generator.model.identity import RECORD_ID_PATTERN, format_record_id, split_record_id

__all__ = [
    "RECORD_ID_PATTERN",
    "Failure",
    "FailureKind",
    "bug_failure",
    "format_record_id",
    "split_record_id",
]
