"""Helpers the staff pages of every topic share: refusals at the field, the page's context."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render


def refuse(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: at its field when the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)


def attempt(form, write) -> bool:
    """Run ``write()`` when the form is valid; a ``ValidationError`` it raises lands on the form.
    Answers whether it was written."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        refuse(form, error)
        return False
    return True


def page(request, template: str, association, context: dict, *, refused: bool = False):
    """Render one of the association's pages; 400 after a refused POST (what was typed stays)."""
    context = {"association": association, "can_manage": getattr(request, "can_manage", False), **context}
    return render(request, template, context, status=400 if refused else 200)
