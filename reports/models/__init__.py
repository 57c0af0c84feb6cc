from reports.exports.models import ExportJob
from reports.goals.models import (
    Comparator,
    Goal,
    GoalKind,
    GoalResult,
    Measure,
    ResultStatus,
    StepDefinition,
    SurveyFigure,
)
from reports.summaries.models import StoredFigures

__all__ = [
    "ExportJob",
    "Comparator",
    "Goal",
    "GoalKind",
    "GoalResult",
    "Measure",
    "ResultStatus",
    "StepDefinition",
    "StoredFigures",
    "SurveyFigure",
]
