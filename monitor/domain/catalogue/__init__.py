"""The indicator catalogue: its typed model and the parser that reads and validates `indicators.toml` data.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.catalogue.model import (
    WEEKDAYS,
    AlertSettings,
    Catalogue,
    CatalogueProblem,
    GrowthBasis,
    Indicator,
    Measure,
    ProjectThresholds,
    RegionKind,
    StatusThresholds,
    TargetKind,
    catalogue_to_dict,
    target_record,
)
from monitor.domain.catalogue.parse import parse_catalogue
from monitor.errors import CatalogueInvalid

__all__ = [
    "WEEKDAYS",
    "AlertSettings",
    "Catalogue",
    "CatalogueInvalid",
    "CatalogueProblem",
    "GrowthBasis",
    "Indicator",
    "Measure",
    "ProjectThresholds",
    "RegionKind",
    "StatusThresholds",
    "TargetKind",
    "catalogue_to_dict",
    "parse_catalogue",
    "target_record",
]
