"""Loading the default catalogs (exit reasons, dimensions, survey questions, measures) into an association."""

from __future__ import annotations

import json
from importlib import resources

from django.db import transaction

from outcomes.models import (
    Association,
    Dimension,
    DimensionCategory,
    ExitReason,
    Measure,
    SurveyIndicator,
    SurveyQuestion,
)


def _default_catalog(name: str) -> dict:
    return json.loads(resources.files("outcomes").joinpath("catalog", f"{name}.json").read_text("utf-8"))


def catalog_load(*, association: Association) -> dict[str, int]:
    """Add the default catalog entries the association does not have yet; answer counts created.

    Idempotent: entries are matched by code and existing ones are left as they are, so a label
    staff renamed or an entry they retired stays renamed or retired.
    """
    created = {
        "exit_reasons": 0,
        "dimensions": 0,
        "categories": 0,
        "indicators": 0,
        "survey_questions": 0,
        "measures": 0,
    }
    with transaction.atomic():
        for position, entry in enumerate(_default_catalog("exit_reasons")["exit_reasons"]):
            _obj, new = ExitReason.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "outcome_class": entry["outcome_class"], "position": position},
            )
            created["exit_reasons"] += new
        for position, entry in enumerate(_default_catalog("dimensions")["dimensions"]):
            dimension, new = Dimension.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "multi_valued": entry["multi_valued"], "position": position},
            )
            created["dimensions"] += new
            for cat_position, category in enumerate(entry["categories"]):
                _obj, new = DimensionCategory.objects.get_or_create(
                    dimension=dimension,
                    code=category["code"],
                    defaults={"label_sv": category["label_sv"], "position": cat_position},
                )
                created["categories"] += new
        surveys = _default_catalog("survey_questions")
        for indicator in surveys["indicators"]:
            _obj, new = SurveyIndicator.objects.get_or_create(
                association=association, number=indicator["number"], defaults={"label_sv": indicator["label_sv"]}
            )
            created["indicators"] += new
        for position, question in enumerate(surveys["questions"]):
            _obj, new = SurveyQuestion.objects.get_or_create(
                association=association,
                code=question["code"],
                defaults={
                    "group": question["group"],
                    "number": question["number"],
                    "indicator": question["indicator"],
                    "scale": question["scale"],
                    "text_sv": question["text_sv"],
                    "position": position,
                },
            )
            created["survey_questions"] += new
        for position, entry in enumerate(_default_catalog("measures")["measures"]):
            _obj, new = Measure.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={
                    "label_sv": entry["label_sv"],
                    "split": entry["split"],
                    "aggregation": entry["aggregation"],
                    "kinds": entry["kinds"],
                    "position": position,
                },
            )
            created["measures"] += new
    return created
