"""The model module that migration 0001 names (``outcomes.organisations.models.EmailUserManager``).

The models live in :mod:`outcomes.organisations.models`; this module keeps the one name a
migration imports at its old path.
"""

from outcomes.organisations.models import EmailUserManager

__all__ = ["EmailUserManager"]
