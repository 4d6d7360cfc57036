"""appraise: learn to critically appraise small clinical trials.

Every number a lesson shows comes from a function in this package, and every such
function is tested against an independent reference.  The public API is re-exported
here; heavy modules (scipy, statsmodels, altair, ipywidgets) are imported lazily, the
first time a name that needs them is used, so ``import appraise`` stays fast.

>>> import appraise as ap
>>> "mensc-secretome-covid19" in ap.list_trials()
True
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    # trial cards
    "Trial": "trials",
    "Arm": "trials",
    "BinaryOutcome": "trials",
    "ReportedClaim": "trials",
    "Registration": "trials",
    "BaselineCharacteristic": "trials",
    "CardError": "trials",
    "CardValidationError": "trials",
    "load_trial": "trials",
    "list_trials": "trials",
    "validate_card": "trials",
    "ClaimTarget": "cards.claims",
    "resolve_claim": "cards.claims",
    "resolve_claims": "cards.claims",
    "lesson_outcome": "cards.claims",
    "stated": "cards.model",
    # two-arm statistics
    "Estimate": "_results",
    "TestResult": "_results",
    "proportion_ci": "proportions",
    "compare_proportions": "proportions",
    "Comparison": "proportions",
    "tests_2x2": "tests2x2",
    "fisher_pvalue_table": "tests2x2",
    # reported-number checks
    "check_percentage": "consistency",
    "check_reported_p": "consistency",
    "parse_reported_p": "consistency",
    "parse_percentage": "consistency",
    "smallest_attainable_p": "consistency",
    # power, design, fragility, bayes
    "power_two_proportions": "power",
    "sample_size_two_proportions": "power",
    "simulate_pvalues": "power",
    "pvalue_at_n": "power",
    "retrodesign": "design",
    "retrodesign_from_counts": "design",
    "zero_event_bound": "design",
    "fragility_index": "fragility",
    "reverse_fragility_index": "fragility",
    "fragility_quotient": "fragility",
    "probability_of_benefit": "bayes",
    "posterior_risk_difference": "bayes",
    "PRIORS": "bayes",
    # registration, flags, report
    "audit_registration": "registration",
    "parse_registry_date": "registration",
    "appraise": "flags",
    "Flag": "flags",
    "report": "reporting",
    # added names
    "NNT": "proportions",
    "format_comparison": "proportions",
    "comparison_to_dict": "proportions",
    "PROPORTION_CI_METHODS": "proportions",
    "hypergeometric_table": "tests2x2",
    "TEST_NAMES": "tests2x2",
    "check_reported_p_one_sample": "consistency",
    "min_attainable_pvalues": "consistency",
    "ReportedPercentage": "consistency",
    "PercentageCheck": "consistency",
    "ReportedP": "consistency",
    "PValueCheck": "consistency",
    "solve_two_proportions": "power",
    "PowerSolution": "power",
    "Retrodesign": "design",
    "FragilityResult": "fragility",
    "Prior": "bayes",
    "Posterior": "bayes",
    "prior_from_slider": "bayes",
    "named_prior": "bayes",
    "enable_offline": "charts",
    "rob2_domain_judgement": "rob2",
    "rob2_overall": "rob2",
    "RegistryDate": "registration",
    "RegistrationVerdict": "registration",
    "TimelineEvent": "registration",
    "RegistrationAudit": "registration",
    "SEVERITIES": "flags",
    "report_data": "reporting",
    "percentage_target": "flags",
    "claim_verdicts": "verdicts",
    "ClaimVerdict": "verdicts",
    "rob2_options": "rob2",
    "chart_spec": "charts",
    "posterior_density": "bayes",
    # lesson helpers
    "check": "exercises",
    # survival forensics
    "logrank_pvalue_range": "survival",
    "logrank_test_ordering": "survival",
    "logrank_pvalues_over_orderings": "survival",
    "LogrankRange": "survival",
    "pvalue_from_ci": "survival",
    "ci_from_pvalue": "survival",
    "check_ci_p": "survival",
    "CIPCheck": "survival",
    "check_km_percentage": "survival",
    "KMPercentageCheck": "survival",
    "KMPattern": "survival",
    # continuous outcomes: printed means and SDs
    "grim": "continuous",
    "grimmer": "continuous",
    "debit": "continuous",
    "GrimResult": "continuous",
    "GrimmerResult": "continuous",
    "DebitResult": "continuous",
    "ttest_from_summary": "continuous",
    "check_ttest_p": "continuous",
    "between_from_within": "continuous",
    "within_arm_p": "continuous",
    "SummaryTTest": "continuous",
    "PValueRange": "continuous",
    "TTestPCheck": "continuous",
    "BetweenFromWithin": "continuous",
    "WithinArmP": "continuous",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    try:
        module_name = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'appraise' has no attribute {name!r}") from None
    module = importlib.import_module(f"appraise.{module_name}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
