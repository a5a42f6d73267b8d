"""The catalogue: the shipped file matches the reference CSVs, and every kind of mistake is reported."""

from __future__ import annotations

import copy
import csv
import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from monitor.domain.catalogue import Measure, TargetKind, catalogue_to_dict, parse_catalogue
from monitor.domain.periods import Frequency
from monitor.errors import CatalogueInvalid
from monitor.settings import PROJECT_ROOT
from tests.catalogue_changes import ADDED_DEPARTMENTS, ADDED_INDICATORS, ADDED_TARGETS, CHANGED

DESIGN = PROJECT_ROOT / "tests" / "reference"  # copies of the reference catalogue CSVs (shared/design)
Doc = dict[str, Any]


@pytest.fixture(scope="module")
def doc() -> Doc:
    return tomllib.loads((PROJECT_ROOT / "indicators.toml").read_text(encoding="utf-8"))


def reference(name: str) -> list[dict[str, str]]:
    with open(DESIGN / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ind(d: Doc, code: str) -> Doc:
    return next(i for i in d["indicators"] if i["code"] == code)


def target(d: Doc, indicator: str, year: int = 2021) -> Doc:
    return next(t for t in d["targets"] if t["indicator"] == indicator and t["year"] == year)


def test_shipped_catalogue_has_both_sets_and_all_targets(doc: Doc) -> None:
    cat = parse_catalogue(doc)
    assert len(cat.indicators) == 55 + len(ADDED_INDICATORS)
    assert len(cat.sets["ops30"].categories) == 9
    assert len(cat.sets["ops30"].indicator_codes) == 30
    assert len(cat.sets["gdp34"].indicator_codes) == 34
    assert len(cat.targets) == 12 + len(ADDED_TARGETS)
    assert cat.meta.default_region == "gusu"
    assert cat.meta.timezone == "Asia/Shanghai"
    assert cat.indicators["fai"].departments == ("drc", "stats")
    assert cat.indicators["fai"].first_month == 2
    assert cat.indicators["services_revenue"].lag_months == 1
    assert cat.indicators["gdp"].frequency is Frequency.QUARTERLY
    assert cat.indicators["pork_price"].due_day == 3
    assert cat.target_for(2021, "gusu", "retail_sales").tolerance == 0.5
    assert cat.target_for(2021, "gusu", "urban_income").reference == "gdp"
    assert all(d.email.endswith(".example") for d in cat.departments.values())


def test_every_code_and_field_matches_the_reference_csvs(doc: Doc) -> None:
    cat = parse_catalogue(doc)
    rows = [{**r, **CHANGED.get(r["code"], {})} for r in reference("catalog.csv")]
    assert [r["code"] for r in rows] + list(ADDED_INDICATORS) == list(cat.indicators)
    for r in rows:
        i = cat.indicators[r["code"]]
        assert (i.name, i.unit, i.frequency.value, i.measure.value, i.direction.value) == (
            r["name"],
            r["unit"],
            r["frequency"],
            r["measure"],
            r["direction"],
        )
        assert list(i.departments) == r["departments"].split(";")
        assert (i.growth_basis.value, i.lag_months, i.first_month) == (
            r["growth_basis"],
            int(r["lag_months"]),
            int(r["first_month"]),
        )
        for set_code in ("ops30", "gdp34"):
            category = cat.sets[set_code].category_of(i.code)
            assert (category.code if category else "") == r[set_code]
    regions = reference("regions.csv")
    assert [(r["code"], r["name"], r["kind"], r["parent"] or None) for r in regions] == [
        (g.code, g.name, g.kind.value, g.parent) for g in cat.regions.values()
    ]
    departments = reference("departments.csv")
    shipped = [(d.code, d.name) for d in cat.departments.values() if d.code not in ADDED_DEPARTMENTS]
    assert [(d["code"], d["name"]) for d in departments] == shipped
    targets = reference("targets.csv")
    assert [(int(t["year"]), t["region"], t["indicator"], t["kind"]) for t in targets] == [
        (t.year, t.region, t.indicator, t.kind.value) for t in cat.targets[: len(targets)]
    ]
    assert [t.indicator for t in cat.targets[len(targets) :]] == list(ADDED_TARGETS)


def _set(path: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        path(d)[key] = value

    return mutate


def _delete(path: Callable[[Doc], Doc], key: str) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        del path(d)[key]

    return mutate


def _append(section: str, entry: Doc) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        d[section].append(entry)

    return mutate


def _first_category(d: Doc) -> Doc:
    return d["sets"][0]["categories"][0]


MISTAKES = [
    pytest.param(
        _append(
            "indicators",
            {
                "code": "gdp",
                "name": "重复",
                "unit": "亿元",
                "frequency": "monthly",
                "measure": "cumulative",
                "direction": "up",
                "departments": ["stats"],
            },
        ),
        "duplicate_code",
        "indicators[60] gdp.code",
        id="duplicate-indicator-code",
    ),
    pytest.param(
        _append("departments", {"code": "stats", "name": "又一个统计局"}),
        "duplicate_code",
        "departments[15] stats.code",
        id="duplicate-department-code",
    ),
    pytest.param(_set(lambda d: ind(d, "fai"), "unit", "亿"), "unknown_unit", "fai.unit", id="unknown-unit"),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "departments", ["drc", "nobody"]),
        "unknown_department",
        "fai.departments",
        id="unknown-department",
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "departments", []), "missing_field", "fai.departments", id="no-department"
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "frequency", "daily"),
        "unknown_frequency",
        "fai.frequency",
        id="unknown-frequency",
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "measure", "flow"), "unknown_measure", "fai.measure", id="unknown-measure"
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "direction", "sideways"),
        "unknown_direction",
        "fai.direction",
        id="unknown-direction",
    ),
    pytest.param(
        _set(lambda d: ind(d, "gdp"), "first_month", 1),
        "bad_first_month",
        "gdp.first_month",
        id="quarterly-first-month-not-3",
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "first_month", 13), "out_of_range", "fai.first_month", id="first-month-13"
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "lag_months", "one"), "bad_type", "fai.lag_months", id="lag-not-a-number"
    ),
    pytest.param(
        _set(lambda d: ind(d, "industrial_va"), "unit", "亿元"),
        "unit_mismatch",
        "industrial_va.unit",
        id="rate-measure-with-a-level-unit",
    ),
    pytest.param(_delete(lambda d: ind(d, "fai"), "name"), "missing_field", "fai.name", id="missing-name"),
    pytest.param(_set(lambda d: ind(d, "fai"), "colour", "red"), "unknown_key", "fai.colour", id="misspelt-key"),
    pytest.param(
        _set(_first_category, "indicators", ["gdp", "gdp_typo"]),
        "unknown_indicator",
        "sets[0] ops30.categories[0] overall.indicators",
        id="category-lists-unknown-indicator",
    ),
    pytest.param(
        _set(lambda d: target(d, "gdp"), "indicator", "gpd"),
        "unknown_indicator",
        "gpd.indicator",
        id="target-on-unknown-indicator",
    ),
    pytest.param(
        _set(lambda d: target(d, "gdp"), "region", "mars"),
        "unknown_region",
        "gdp.region",
        id="target-on-unknown-region",
    ),
    pytest.param(
        _set(lambda d: target(d, "gdp"), "kind", "growth_at_least"),
        "unknown_kind",
        "gdp.kind",
        id="unknown-target-kind",
    ),
    pytest.param(
        _delete(lambda d: target(d, "urban_income"), "reference"),
        "missing_reference",
        "urban_income.reference",
        id="growth-above-without-reference",
    ),
    pytest.param(
        _set(lambda d: target(d, "urban_income"), "reference", "gdpp"),
        "unknown_indicator",
        "urban_income.reference",
        id="growth-above-unknown-reference",
    ),
    pytest.param(
        _append(
            "targets", {"year": 2021, "region": "gusu", "indicator": "industrial_va", "kind": "level_min", "value": 100}
        ),
        "level_target_on_rate",
        "industrial_va.kind",
        id="level-target-on-rate-measure",
    ),
    pytest.param(
        _delete(lambda d: target(d, "gdp"), "value"), "missing_field", "gdp.value", id="growth-target-without-value"
    ),
    pytest.param(
        _delete(lambda d: target(d, "retail_sales"), "tolerance"),
        "missing_field",
        "retail_sales.tolerance",
        id="growth-about-without-tolerance",
    ),
    pytest.param(
        _append("targets", {"year": 2021, "region": "gusu", "indicator": "gdp", "kind": "growth_min", "value": 7.0}),
        "duplicate_code",
        "2021 gusu gdp",
        id="duplicate-target",
    ),
    pytest.param(
        _set(lambda d: d["meta"], "default_region", "nowhere"),
        "unknown_region",
        "meta.default_region",
        id="unknown-default-region",
    ),
    pytest.param(
        _append("regions", {"code": "gusu.new", "name": "新街道", "kind": "street", "parent": "gsu"}),
        "unknown_region",
        "gusu.new.parent",
        id="street-with-unknown-parent",
    ),
    pytest.param(
        _set(lambda d: d["departments"][0], "email", "not-an-address"),
        "bad_email",
        "stats.email",
        id="bad-department-email",
    ),
    pytest.param(
        _set(lambda d: ind(d, "fai"), "source", "nobody"),
        "unknown_department",
        "fai.source",
        id="unknown-source",
    ),
    pytest.param(
        _set(lambda d: ind(d, "urban_income"), "departments", ["survey"]),
        "external_department",
        "urban_income.departments",
        id="external-unit-as-responsible",
    ),
    pytest.param(
        _set(lambda d: d["departments"][0], "external", "yes"), "bad_type", "stats.external", id="external-not-bool"
    ),
    pytest.param(
        _set(lambda d: ind(d, "gdp"), "regions", ["district", "county"]),
        "unknown_regions",
        "gdp.regions",
        id="unknown-region-level",
    ),
    pytest.param(
        _set(lambda d: ind(d, "gdp"), "regions", ["street"]),
        "missing_district",
        "gdp.regions",
        id="regions-without-the-district",
    ),
    pytest.param(
        _set(lambda d: ind(d, "gdp"), "regions", "district"), "bad_type", "gdp.regions", id="regions-not-a-list"
    ),
    pytest.param(
        _set(lambda d: ind(d, "gdp"), "regions", ["district", "district"]),
        "duplicate_code",
        "gdp.regions",
        id="region-level-twice",
    ),
    pytest.param(
        _set(lambda d: d["status"], "growth_yellow_pp", -1),
        "out_of_range",
        "status.growth_yellow_pp",
        id="negative-threshold",
    ),
    pytest.param(
        _set(lambda d: d["alerts"], "forecast_miss_probability", 3),
        "out_of_range",
        "alerts.forecast_miss_probability",
        id="probability-above-one",
    ),
]


@pytest.mark.parametrize(("mutate", "code", "key_part"), MISTAKES)
def test_each_mistake_is_reported_with_its_code_and_place(
    doc: Doc, mutate: Callable[[Doc], None], code: str, key_part: str
) -> None:
    broken = copy.deepcopy(doc)
    mutate(broken)
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(broken)
    problems = caught.value.problems
    assert any(p.code == code and key_part in p.key for p in problems), problems
    assert all(p.message and not p.message.isascii() for p in problems), "messages are in Chinese"


def test_several_mistakes_are_all_reported_at_once(doc: Doc) -> None:
    broken = copy.deepcopy(doc)
    chosen = {
        "duplicate-indicator-code",
        "duplicate-department-code",
        "unknown-unit",
        "unknown-department",
        "unknown-measure",
        "quarterly-first-month-not-3",
        "misspelt-key",
        "category-lists-unknown-indicator",
        "target-on-unknown-region",
        "growth-above-without-reference",
        "level-target-on-rate-measure",
        "growth-about-without-tolerance",
        "unknown-default-region",
        "bad-department-email",
        "negative-threshold",
    }
    for param in MISTAKES:
        if param.id in chosen:
            param.values[0](broken)
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(broken)
    codes = {p.code for p in caught.value.problems}
    assert {
        "duplicate_code",
        "unknown_unit",
        "unknown_department",
        "bad_first_month",
        "unknown_indicator",
        "unknown_region",
        "missing_reference",
        "level_target_on_rate",
        "unknown_key",
        "bad_email",
    } <= codes
    assert len(caught.value.problems) >= 15


def test_indicator_defaults_fill_omitted_fields(doc: Doc) -> None:
    d = copy.deepcopy(doc)
    for key in ("growth_basis", "lag_months", "first_month"):
        del ind(d, "revenue")[key]
    d["indicator_defaults"]["due_day"] = 20
    cat = parse_catalogue(d)
    assert (cat.indicators["revenue"].lag_months, cat.indicators["revenue"].first_month) == (0, 1)
    assert cat.indicators["revenue"].due_day == 20
    assert cat.indicators["pork_price"].due_day == 3  # an indicator's own value wins


def test_catalogue_as_dict_lists_sets_indicators_and_targets(doc: Doc) -> None:
    data = catalogue_to_dict(parse_catalogue(doc))
    assert [s["code"] for s in data["sets"]] == ["ops30", "gdp34", "goals2021"]
    assert data["sets"][0]["categories"][0] == {
        "code": "overall",
        "name": "综合",
        "indicators": ["gdp", "urban_income"],
    }
    gdp = next(i for i in data["indicators"] if i["code"] == "gdp")
    assert gdp["measure"] == Measure.CUMULATIVE.value
    assert gdp["departments"] == ["stats"]
    assert (gdp["source"], gdp["regions"]) == ("stats", ["district", "peer"])
    income = next(i for i in data["indicators"] if i["code"] == "urban_income")
    assert (income["departments"], income["source"]) == (["hrss", "stats"], "survey")
    survey = next(d for d in data["departments"] if d["code"] == "survey")
    assert survey["external"] is True
    assert {t["kind"] for t in data["targets"]} == {k.value for k in TargetKind} - {"level_max"}


def test_source_defaults_to_the_lead_department_and_regions_to_the_defaults(doc: Doc) -> None:
    d = copy.deepcopy(doc)
    del ind(d, "revenue")["source"]
    del ind(d, "revenue")["regions"]
    cat = parse_catalogue(d)
    revenue = cat.indicators["revenue"]
    assert (revenue.supplier, [k.value for k in revenue.regions]) == ("finance", ["district"])  # [indicator_defaults]
    del d["indicator_defaults"]["regions"]
    everywhere = parse_catalogue(d).indicators["revenue"]
    assert [k.value for k in everywhere.regions] == ["district", "street", "peer"]  # no default anywhere: all levels


def test_who_supplies_is_kept_apart_from_who_answers(doc: Doc) -> None:
    cat = parse_catalogue(doc)
    external = {c for c, dep in cat.departments.items() if dep.external}
    assert external == {"survey", "postal", "power", "telecom", "transport"}
    assert not any(set(i.departments) & external for i in cat.indicators.values())
    assert {code: i.supplier for code, i in cat.indicators.items() if i.supplier in external} == {
        "urban_income": "survey",
        "cpi": "survey",
        "industrial_power": "power",
        "power_consumption": "power",
        "freight_turnover": "transport",
        "passenger_turnover": "transport",
        "postal_volume": "postal",
        "telecom_volume": "telecom",
    }
    assert cat.indicators["urban_income"].senders == ("hrss", "stats", "survey")  # the source may send its figure


@pytest.mark.parametrize(
    ("indicator", "region", "reports"),
    [
        ("gdp", "gusu", True),
        ("gdp", "gusu.pingjiang", False),  # 统一核算: no street GDP
        ("gdp", "wuzhong", True),
        ("land_transfer", "gusu.pingjiang", False),
        ("postal_volume", "gusu.huqiu", False),
        ("retail_sales", "gusu.pingjiang", True),
        ("retail_sales", "wuzhong", True),
        ("new_jobs", "gusu.canglang", True),
        ("new_jobs", "wuzhong", False),
        ("gdp", "atlantis", False),
    ],
)
def test_which_regions_report_an_indicator(doc: Doc, indicator: str, region: str, reports: bool) -> None:
    assert parse_catalogue(doc).reports(indicator, region) is reports
