from outcomes.models.catalog import (
    Dimension,
    DimensionCategory,
    ExitReason,
    OutcomeClass,
    SurveyIndicator,
    SurveyQuestion,
)
from outcomes.models.organisation import (
    Association,
    Budget,
    Intervention,
    Membership,
    Role,
    User,
)
from outcomes.models.reports import BreakdownCount, ExitCount, PeriodReport, ReportStatus
from outcomes.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "Association",
    "BreakdownCount",
    "Budget",
    "Dimension",
    "DimensionCategory",
    "ExitCount",
    "ExitReason",
    "Intervention",
    "Membership",
    "OutcomeClass",
    "PeriodReport",
    "ReportStatus",
    "Role",
    "SurveyIndicator",
    "SurveyQuestion",
    "User",
]

# --- Surveys (issue 6) ---
from outcomes.models.surveys import NationalAverage, Survey, SurveyAnswer  # noqa: E402

__all__ += ["NationalAverage", "Survey", "SurveyAnswer"]

# --- report history and reminders (issue 3: web forms) -----------------------------------------
from outcomes.models.history import HistoryKind, OverdueReminder, ReportHistory  # noqa: E402

__all__ += ["HistoryKind", "OverdueReminder", "ReportHistory"]
