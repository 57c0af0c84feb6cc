from reports.models.exports import ExportJob
from reports.models.goals import (
    Comparator,
    Goal,
    GoalKind,
    GoalResult,
    Measure,
    ResultStatus,
    StepDefinition,
    SurveyFigure,
)

__all__ = [
    "ExportJob",
    "Comparator",
    "Goal",
    "GoalKind",
    "GoalResult",
    "Measure",
    "ResultStatus",
    "StepDefinition",
    "SurveyFigure",
]
