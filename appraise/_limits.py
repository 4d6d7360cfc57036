"""Every size limit of the package, with the reason for it.

A public function either finishes within about 2 seconds and 500 MB on a small
two-core machine for every input it accepts, or refuses the input up front with a
:class:`ValueError` that names the argument, repeats the value, and states the limit
and why (:func:`appraise._validate.check_limit`).  The numbers live here, and only
here; ``docs/limits.md`` lists them with the functions they bound, and
``benchmarks/bench_limits.py`` times every public function at its largest accepted
input.

Time and memory quoted below were measured on a two-core machine
(``benchmarks/bench_limits.py``).
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- counts

#: Largest count (patients or events in an arm) any statistics function accepts.  A
#: billion is beyond any trial; above 2**53 counts stop being exact as floats, and
#: huge integers overflow float conversion.
MAX_COUNT = 1_000_000_000

# ----------------------------------------------------------------------------- trial cards
# (appraise.cards.schema checks them; the values are the same)

#: Longest trial id or path accepted as the ``trial`` argument of the card loader: a
#: path's length limit on Linux (``PATH_MAX``).
MAX_TRIAL_ARG_CHARS = 4_096

#: Largest count a trial card may hold (10 million patients: larger numbers on a card
#: are implausible, most likely a typing error).
MAX_CARD_COUNT = 10_000_000

#: Largest card file read (1 MB; a real trial's card is a few kB); larger files are
#: refused unread.
MAX_CARD_BYTES = 1_048_576

#: Longest key of a card (dotted parts together); the format's longest is 25 characters.
MAX_CARD_KEY_CHARS = 200

#: Most dotted parts in one key: the format nests 2 deep, and long dotted keys make the
#: TOML reader use memory out of all proportion to the file.
MAX_CARD_KEY_PARTS = 64

#: Most ``[[claims]]`` of one card: every claim is checked and reported one by one
#: (a card of 500 p-value claims reports in about a second).
MAX_CARD_CLAIMS = 500

#: Most tables in any other array of a card (``[[outcomes]]``, ``[[baseline]]``, ...).
MAX_CARD_TABLES = 500

#: Most items in an array of strings or numbers on a card (e.g. authors).
MAX_CARD_LIST_ITEMS = 1_000

#: Most decimals of a printed p-value or percentage on a card: a double carries 15-17
#: significant digits, so more cannot be checked.
MAX_REPORTED_DECIMALS = 15

#: Longest card, outcome or claim id (a slug).
MAX_ID_CHARS = 64

# ----------------------------------------------------------------------------- exact tests

#: Largest arm for :func:`appraise.tests2x2.fisher_pvalue_table` and everything built
#: on it (exact Fisher power, fragility indices, p-value lookups of the explorers):
#: the table holds ``(n_treat + 1) * (n_ctrl + 1)`` p-values, 32 MB and under a second
#: at 2000 per arm; it grows with the square of the arm size.
MAX_TABLE_N = 2000

#: Largest arm for Barnard's and Boschloo's unconditional exact tests.  scipy
#: evaluates every table of the two arms at 32 values of the nuisance parameter: about
#: 0.3 s at 200 per arm, growing with the square of the arm size (30 s at 1000).
#: Beyond it the tests are reported as "not computed (arm too large)"; at such sizes
#: they agree with the chi-square test to the digits a paper prints.
MAX_UNCONDITIONAL_N = 200

#: The note a test result carries when it was not computed because an arm is larger
#: than :data:`MAX_UNCONDITIONAL_N`.
NOT_COMPUTED_ARM_TOO_LARGE = "not computed (arm too large)"

# ----------------------------------------------------------------------------- power and sample size

#: Largest per-arm size of the exact (Fisher) sample-size search: each step of the
#: bracketing search computes a full p-value table (0.2 s at 1000 per arm) and the
#: search takes about ten steps.  Larger trials are planned with ``test="normal"``.
MAX_SAMPLE_SIZE_EXACT_N = 1000

#: Largest first crossing for ``stable=True``: the stable answer checks the exact power
#: at every n from the first crossing to twice it plus ten (about 0.5 s when the first
#: crossing is 100 per arm; the work grows with its cube).
MAX_STABLE_SEARCH_N = 100

#: Bytes the Fisher p-value tables kept in memory may occupy together (96 MB: every
#: equal-arm table from 1 to 300 per arm, what the explorers slide over, is 72 MB).
FISHER_CACHE_BYTES = 96 * 1024 * 1024

# ----------------------------------------------------------------------------- simulation and grids

#: Largest number of simulated trials (:func:`appraise.power.simulate_pvalues`):
#: a million trials are 24 MB of counts and p-values and far more than a histogram
#: needs.
MAX_SIMULATION_TRIALS = 1_000_000

#: Largest number of patients simulated in one call of :mod:`appraise.simulate`
#: (``n_trials * (n_treat + n_ctrl)``): each holds a handful of floats in memory at
#: once: about 130 MB and 1 s at a million.
MAX_SIMULATED_PATIENTS = 1_000_000

#: Largest number of patients screened to enrol them (``enrol_above`` turns most
#: away): they are drawn in blocks, 10 million draws are about 1 s and 160 MB.
MAX_SIMULATED_DRAWS = 10_000_000

#: Largest plotting grid of a posterior density: the density at each grid point is a
#: 200-node quadrature, so 10,001 points are 16 MB of work arrays, more than any
#: screen can show.
MAX_GRID_SIZE = 10_001


# ----------------------------------------------------------------------------- listed values in reports

#: Most fitting counts a report or a verdict's evidence lists one by one (a percentage of
#: a large arm fits many counts: 28% of 10 million fits 100,000).  Past it the evidence
#: keeps the first ones with the full count, and text says "first to last (N values)".
MAX_LISTED_VALUES = 20

# ----------------------------------------------------------------------------- printed means and SDs

#: Largest number of whole-number totals :func:`appraise.continuous.grimmer` and
#: :func:`appraise.continuous.debit` examine (about ``n * items / 10**decimals``): each
#: costs a few microseconds under up to four rounding rules, so 20,000 keep a call under
#: half a second; with that many totals the printed mean says almost nothing anyway.
MAX_CANDIDATE_SUMS = 20_000

#: Most decimals a printed mean or SD may have (:mod:`appraise._printed`): no report prints
#: more, and exact bounds grow needlessly large.
MAX_PRINTED_DECIMALS = 12

#: Most items averaged into one participant's score (GRIM/GRIMMER ``items``).
MAX_SCALE_ITEMS = 1000

# ----------------------------------------------------------------------------- log-rank and Kaplan-Meier searches
# (appraise.survival, appraise._logrank_paths, appraise._km_patterns)

#: Largest number of lattice nodes ``(events_treat + 1) * (events_ctrl + 1)`` of
#: :func:`appraise.survival.logrank_pvalue_range`: every dynamic programme costs one pass
#: over them, and the branch and bound runs a few dozen; about a second at this size.
MAX_LOGRANK_NODES = 160_000

#: Orderings of deaths are listed (every ``E`` and ``V`` at once) when their number times
#: the number of deaths is at most this: a few arrays of 8 bytes a cell, under 100 MB.
MAX_LISTED_CELLS = 2_000_000

#: Half-orderings listed by the meet-in-the-middle search (orderings times deaths, both
#: halves): about 100 MB and under a second at this size.
MAX_MIDDLE_CELLS = 8_000_000

#: Pairs of halves the meet-in-the-middle search checks inside its window: under a second.
MAX_MIDDLE_PAIRS = 2_000_000

#: Partial orderings the exact search for the largest log-rank p may list before it gives
#: up (it rarely lists any: see :func:`appraise._logrank_paths.tangent_search`).
MAX_TANGENT_VISITS = 200_000

#: Most censoring patterns :func:`appraise.survival.check_km_percentage` examines: the
#: patterns are walked one by one in Python, about a second at this count.
MAX_KM_PATTERNS = 250_000

# ----------------------------------------------------------------------------- survival figures in reports

#: Largest arm whose printed Kaplan-Meier percentages an appraisal searches
#: (:mod:`appraise._verdicts_v2`): the patterns of deaths and censoring grow with the arm;
#: larger arms are reported as not checkable here.
MAX_KM_ARM = 1000

#: Most death-and-censoring patterns an appraisal examines for one printed survival
#: percentage over every number of deaths it may follow: about half a second.
MAX_KM_PATTERNS_PER_FIGURE = 600_000
