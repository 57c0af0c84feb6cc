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
    "Comparator",
    "Goal",
    "GoalKind",
    "GoalResult",
    "Measure",
    "ResultStatus",
    "StepDefinition",
    "SurveyFigure",
]
