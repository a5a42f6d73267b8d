"""排名: streets among themselves against the district, the district among its peers with its 位次."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from monitor.cli import main
from monitor.domain.catalogue import Catalogue
from monitor.domain.ranking import RankingScope, growth_ranks, rank_regions, ranking_regions


def _rows(growth: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": "retail_sales",
            "region": list(growth),
            "value": [100.0] * len(growth),
            "growth": list(growth.values()),
            "period": "2021-06",
            "unit": "亿元",
        }
    )


def test_growth_ranks_within_each_indicator_ties_share_a_rank_and_no_growth_is_not_ranked() -> None:
    growth = pd.Series([12.0, 15.0, 12.0, None, 3.0, 5.0])
    by = pd.Series(["a", "a", "a", "a", "b", "b"])
    rank, count = growth_ranks(growth, by)
    assert rank.tolist()[:3] == [2.0, 1.0, 2.0]
    assert pd.isna(rank[3])
    assert rank.tolist()[4:] == [2.0, 1.0]
    assert count.tolist()[:3] == [3, 3, 3]
    assert pd.isna(count[3])
    assert count.tolist()[4:] == [2, 2]


def test_streets_are_ranked_among_themselves_against_the_district(catalogue: Catalogue) -> None:
    streets, district = ranking_regions(catalogue, RankingScope.STREETS)
    assert district == "gusu"
    assert len(streets) == 8
    assert district not in streets
    growth = {"gusu": 10.0, **{s: 8.0 + n for n, s in enumerate(streets)}}
    growth[streets[0]] = None  # no figure: not ranked
    ranking = rank_regions(_rows(growth), catalogue, "retail_sales", RankingScope.STREETS, streets, district)
    assert list(ranking.table["region"]) == list(reversed(streets[1:]))
    assert list(ranking.table["rank"]) == list(range(1, 8))
    assert ranking.reference_growth == 10.0
    assert list(ranking.table["vs_reference"]) == [15.0 - 10.0 - n for n in range(7)]
    assert ranking.district_rank is None


def test_the_district_is_ranked_among_its_peers_with_shared_ranks_for_ties(catalogue: Catalogue) -> None:
    ranked, district = ranking_regions(catalogue, RankingScope.PEERS)
    assert ranked[0] == "gusu"
    growth = {r: 5.0 for r in ranked}
    growth["gusu"], growth[ranked[1]] = 7.0, 9.0
    ranking = rank_regions(_rows(growth), catalogue, "retail_sales", RankingScope.PEERS, ranked, district)
    assert ranking.district_rank == 2
    assert set(ranking.table["rank"][2:]) == {3}  # the tied peers share the 3rd place
    assert ranking.reference_region is None


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ranking') / 'm.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "demo"]) == 0
    return url


def test_ranking_json_lists_the_8_streets_with_the_district_as_reference(
    capsys: pytest.CaptureFixture[str], sample_db: str
) -> None:
    capsys.readouterr()
    argv = ["--db", sample_db, "ranking", "--indicator", "retail_sales", "--period", "2021-06", "--scope", "streets"]
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in doc["rows"]] == list(range(1, 9))
    assert all(r["region"].startswith("gusu.") for r in doc["rows"])
    growth = [r["growth"] for r in doc["rows"]]
    assert growth == sorted(growth, reverse=True)
    assert doc["reference"] == {"region": "gusu", "name": "姑苏区", "growth": 31.3}
    assert doc["rows"][0]["vs_reference_pp"] == pytest.approx(growth[0] - 31.3)
    assert main(argv) == 0
    table = capsys.readouterr().out
    assert "姑苏区各街道（全区 31.3%）" in table
    assert "快于全区" in table


def test_ranking_among_peers_tells_the_districts_place(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    capsys.readouterr()
    argv = ["--db", sample_db, "ranking", "--indicator", "retail_sales", "--period", "2021-06", "--scope", "peers"]
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    regions = [r["region"] for r in doc["rows"]]
    assert "gusu" in regions
    assert not [r for r in regions if r.startswith("gusu.")]
    assert doc["district_rank"] == regions.index("gusu") + 1


def test_no_street_ranking_of_an_indicator_streets_do_not_report(catalogue: Catalogue) -> None:
    """街道 GDP is no official statistic under 统一核算: street figures, even if stored, are not ranked."""
    streets, district = ranking_regions(catalogue, RankingScope.STREETS)
    rows = _rows({"gusu": 10.7, **{s: 9.0 + n for n, s in enumerate(streets)}}).assign(indicator="gdp")
    ranking = rank_regions(rows, catalogue, "gdp", RankingScope.STREETS, streets, district)
    assert ranking.table.empty
    assert "统一核算" in ranking.unranked
    assert "不做街道排名" in ranking.unranked
    peers, _ = ranking_regions(catalogue, RankingScope.PEERS)
    among_peers = rank_regions(
        rows.assign(region=peers[: len(rows)]), catalogue, "gdp", RankingScope.PEERS, peers, district
    )
    assert among_peers.unranked == ""
    assert not among_peers.table.empty


@pytest.mark.parametrize(
    ("indicator", "scope", "words"),
    [("gdp", "streets", "统一核算"), ("land_transfer", "streets", "不按街道统计"), ("new_jobs", "peers", "对标")],
)
def test_the_ranking_command_refuses_a_level_that_does_not_report(
    capsys: pytest.CaptureFixture[str], sample_db: str, indicator: str, scope: str, words: str
) -> None:
    capsys.readouterr()
    argv = ["--db", sample_db, "ranking", "--indicator", indicator, "--period", "2021-06", "--scope", scope]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
