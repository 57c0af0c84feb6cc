"""Every model of the ``outcomes`` app, imported from its topic so that Django registers it.

Models live in their topic package (``outcomes/<topic>/models.py``) and keep the ``outcomes`` app
label, so moving one between topics needs no migration. ``from outcomes.models import X`` works
for every model.
"""

from outcomes.catalog.models import (
    Dimension,
    DimensionCategory,
    ExitReason,
    OutcomeClass,
    SurveyIndicator,
    SurveyQuestion,
)
from outcomes.changelog.models import ChangeKind, ChangeLogEntry
from outcomes.imports.models import FileUpload, FileUploadPart
from outcomes.organisations.models import (
    ApiToken,
    Association,
    Budget,
    Intervention,
    Member,
    MemberKind,
    Membership,
    Role,
    User,
)
from outcomes.surveys.models import NationalAverage, Survey, SurveyAnswer
from outcomes.tallies.models import (
    BreakdownCount,
    ExitCount,
    HistoryKind,
    OverdueReminder,
    PeriodReport,
    ReportHistory,
    ReportStatus,
)

__all__ = [
    "ApiToken",
    "Association",
    "BreakdownCount",
    "ChangeKind",
    "ChangeLogEntry",
    "Budget",
    "Dimension",
    "DimensionCategory",
    "ExitCount",
    "ExitReason",
    "FileUpload",
    "FileUploadPart",
    "HistoryKind",
    "Intervention",
    "Member",
    "MemberKind",
    "Membership",
    "NationalAverage",
    "OutcomeClass",
    "OverdueReminder",
    "PeriodReport",
    "ReportHistory",
    "ReportStatus",
    "Role",
    "Survey",
    "SurveyAnswer",
    "SurveyIndicator",
    "SurveyQuestion",
    "User",
]
