"""Recommendations: advise() (recommend/advice.py) over the catalogues (recommend/catalogues.py)."""

from diagnosis.core.recommend.advice import advise
from diagnosis.core.recommend.catalogues import Catalogues, load_catalogues

__all__ = ["Catalogues", "advise", "load_catalogues"]
