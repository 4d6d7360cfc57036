"""Do the reported numbers add up?

Percentages: which numbers of patients ``k`` out of ``n`` give the printed percentage
(GRIM-style, after Brown & Heathers 2017, applied to percentages), under rounding and
under truncation.  P-values: which standard tests on the reported counts reproduce a
printed p-value at its printed precision, and the smallest p-value any of them could
give with these arm sizes.

All percentage arithmetic is exact (fractions), so 28.5% is never lost to binary
floating point.

The percentage checks live in :mod:`appraise._check_percentage`, the p-value checks in
:mod:`appraise._check_pvalue`; this module gives both their public names.
"""

from __future__ import annotations

from ._check_percentage import (PercentageCheck, ReportedPercentage, _parse_percentage,  # noqa: F401
                                check_percentage, parse_percentage)
from ._check_pvalue import (PValueCheck, ReportedP, check_reported_p, check_reported_p_one_sample,  # noqa: F401
                            min_attainable_pvalues, parse_reported_p, smallest_attainable_p)

__all__ = ["ReportedPercentage", "PercentageCheck", "ReportedP", "PValueCheck",
           "parse_percentage", "check_percentage", "parse_reported_p", "check_reported_p",
           "check_reported_p_one_sample", "smallest_attainable_p", "min_attainable_pvalues"]
