"""Log-rank statistics over orderings of events: the path algorithms behind
:func:`appraise.survival.logrank_pvalue_range`.

An ordering of ``d1`` treated and ``d0`` control deaths at distinct times, with every
survivor censored after the last death, is a monotone lattice path from ``(0, 0)`` to
``(d1, d0)``: node ``(i, j)`` means ``i`` treated and ``j`` control deaths so far, with
``a = n1 - i`` and ``b = n0 - j`` still at risk.  Leaving node ``(i, j)`` (whichever arm
dies) adds ``e = a / (a + b)`` to the expected treated deaths ``E`` and
``v = a b / (a + b)**2`` to the variance ``V`` (the hypergeometric variance with one
death).  ``O = d1`` is the same for every ordering, and the statistic is
``Z**2 = (O - E)**2 / V``.

Everything here works on node weights and paths; the public module turns the results
into p-values.
"""

from __future__ import annotations

import heapq
import itertools
import math

import numpy as np

TREAT, CTRL = "T", "C"


def node_weights(n1: int, n0: int, d1: int, d0: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrays ``e[i, j]`` and ``v[i, j]`` for every node (zero at the end node)."""
    a = (n1 - np.arange(d1 + 1, dtype=float))[:, None]
    b = (n0 - np.arange(d0 + 1, dtype=float))[None, :]
    total = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        e = np.where(total > 0, a / total, 0.0)
        v = np.where(total > 0, a * b / total**2, 0.0)
    e[d1, d0] = 0.0
    v[d1, d0] = 0.0
    return e, v


def path_ev(ordering: str, n1: int, n0: int) -> tuple[float, float]:
    """``E`` and ``V`` of one ordering (a string of ``"T"``/``"C"``)."""
    treat = np.frombuffer(ordering.encode("ascii"), dtype=np.uint8) == ord(TREAT)
    i = np.concatenate(([0], np.cumsum(treat)[:-1]))
    j = np.arange(len(ordering)) - i
    a, b = n1 - i, n0 - j
    total = (a + b).astype(float)
    return float(np.sum(a / total)), float(np.sum(a * b / total**2))


def _best_table(weight: np.ndarray) -> np.ndarray:
    """``best[i, j]``: the largest sum of ``weight`` over the nodes a path leaves on its
    way from ``(i, j)`` to the end node.

    Backward dynamic programming, one row ``i`` at a time: from ``(i, j)`` a path takes
    control deaths up to some column ``k >= j`` and then a treated death, so
    ``best[i, j] = max_k (S[k + 1] - S[j] + best[i + 1, k])`` with ``S`` the prefix sums
    of row ``i``: a suffix maximum, one NumPy pass per row.
    """
    d1, d0 = weight.shape[0] - 1, weight.shape[1] - 1
    best = np.empty_like(weight)
    best[d1, :d0] = weight[d1, :d0][::-1].cumsum()[::-1]
    best[d1, d0] = 0.0
    for i in range(d1 - 1, -1, -1):
        prefix = np.concatenate(([0.0], np.cumsum(weight[i])))
        suffix_max = np.maximum.accumulate((prefix[1:] + best[i + 1])[::-1])[::-1]
        best[i] = suffix_max - prefix[:-1]
    return best


def best_path(weight: np.ndarray) -> str:
    """The ordering maximising the sum of ``weight`` over the nodes it leaves."""
    best = _best_table(weight)
    d1, d0 = weight.shape[0] - 1, weight.shape[1] - 1
    steps = []
    i = j = 0
    while i < d1 or j < d0:
        take_treat = j == d0 or (i < d1 and best[i + 1, j] >= best[i, j + 1])
        steps.append(TREAT if take_treat else CTRL)
        i, j = (i + 1, j) if take_treat else (i, j + 1)
    return "".join(steps)


def extreme_orderings(d1: int, d0: int) -> tuple[str, str]:
    """The orderings with the smallest and the largest ``E`` (treated deaths first / last)."""
    return TREAT * d1 + CTRL * d0, CTRL * d0 + TREAT * d1


def max_statistic(n1: int, n0: int, d1: int, d0: int, *, rtol: float = 1e-10) -> tuple[float, str]:
    """The largest ``Z**2`` over all orderings and an ordering attaining it.

    For ``V > 0``, ``x**2 / V = max over lambda of f(lambda) = 2 lambda x - lambda**2 V``
    (attained at ``lambda = x / V``), so with ``x = O - E`` the largest ``Z**2`` is the
    largest value over ``lambda`` of ``F(lambda) = max over orderings of f``; for fixed
    ``lambda`` that is a sum of node weights, one dynamic programme.  Each ``f`` is
    concave in ``lambda``, so on ``[la, lb]`` it lies below its tangent at ``la``, whose
    largest value on the interval is at an end: ``f(la)`` or
    ``2 lb x - (2 la lb - la**2) V``.  Hence ``max(F(la), G)`` with
    ``G = max over orderings of (2 lb x - (2 la lb - la**2) V)`` (one more dynamic
    programme) bounds ``F`` on the interval, with a slack that shrinks with the square
    of its width.  Branch and bound over ``lambda`` in ``[-L, L]`` (``L`` = largest
    ``|x|`` / smallest ``V``: no ordering has its optimum beyond): take the ordering
    best at an interval's midpoint, discard intervals whose bound does not exceed the
    best ``Z**2`` found by more than the relative tolerance ``rtol``, halve the others.
    """
    e, v = node_weights(n1, n0, d1, d0)
    observed = float(d1)

    def evaluate(ordering):
        big_e, big_v = path_ev(ordering, n1, n0)
        return (observed - big_e) ** 2 / big_v, ordering

    def dp_max(coef_x, coef_v):  # max over orderings of coef_x * (O - E) - coef_v * V
        return coef_x * observed + _best_table(-coef_x * e - coef_v * v)[0, 0]

    ends = extreme_orderings(d1, d0)
    best = max(evaluate(ends[0]), evaluate(ends[1]))
    if d1 == 0 or d0 == 0:
        return best
    v_min = -_best_table(-v)[0, 0]
    limit = max(abs(observed - path_ev(o, n1, n0)[0]) for o in ends) / v_min

    def bound(la, lb):
        return max(dp_max(2 * la, la * la), dp_max(2 * lb, 2 * la * lb - la * la))

    heap = [(-bound(-limit, 0.0), -limit, 0.0), (-bound(0.0, limit), 0.0, limit)]
    while heap:
        neg_bound, la, lb = heapq.heappop(heap)
        if -neg_bound <= best[0] * (1 + rtol):
            break
        mid = 0.5 * (la + lb)
        best = max(best, evaluate(best_path(-2 * mid * e - mid * mid * v)))
        for a, b in ((la, mid), (mid, lb)):
            value = bound(a, b)
            if value > best[0] * (1 + rtol):
                heapq.heappush(heap, (-value, a, b))
    return best


def all_orderings(n1: int, n0: int, d1: int, d0: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``E``, ``V`` and the treated-death positions of every ordering (small cases)."""
    total = d1 + d0
    positions = np.array(list(itertools.combinations(range(total), d1)), dtype=np.int64)
    positions = positions.reshape(math.comb(total, d1), d1)
    treat = np.zeros((len(positions), total), dtype=np.int64)
    np.put_along_axis(treat, positions, 1, axis=1)
    i = np.cumsum(treat, axis=1) - treat
    j = np.arange(total) - i
    a, b = n1 - i, n0 - j
    denom = (a + b).astype(float)
    return (a / denom).sum(axis=1), (a * b / denom**2).sum(axis=1), positions


def ordering_from_positions(positions, total: int) -> str:
    chars = [CTRL] * total
    for s in positions:
        chars[int(s)] = TREAT
    return "".join(chars)


def tangent_search(n1: int, n0: int, d1: int, d0: int, observed: float, *, max_visits: int):
    """Smallest ``Z**2`` when every ordering lies on one side of ``E = O``, exactly.

    Write ``x = |O - E|`` (the same sign for every ordering).  For the best ordering
    known, ``(x0, V0)``, let ``mu = x0 / (2 V0)`` (the slope of the curve
    ``x = sqrt(Z0**2 V)`` there).  Any ordering with ``x**2 / V < Z0**2`` has
    ``x - mu V < sqrt(Z0**2 V) - mu V <= Z0**2 / (4 mu) = x0 / 2 = x0 - mu V0``, so only
    orderings whose linear score ``x - mu V`` is below the incumbent's can beat it.
    One dynamic programme gives the lowest score: if it is not below the incumbent's,
    the incumbent is the answer; if its ordering is better, it becomes the incumbent and
    the step repeats; otherwise every ordering scoring below the incumbent is listed by
    a depth-first search that drops a partial path as soon as its score plus the lowest
    score still to come (the same programme's table) reaches the incumbent's.  Returns
    ``(z2, ordering, proved)``: ``proved`` is ``False`` only when the search would visit
    more than ``max_visits`` partial paths (the best ordering found is returned).
    """
    e, v = node_weights(n1, n0, d1, d0)
    first, last = extreme_orderings(d1, d0)
    sign = 1.0 if path_ev(first, n1, n0)[0] >= observed else -1.0  # x = sign * (E - O)

    def z2_of(ordering):
        big_e, big_v = path_ev(ordering, n1, n0)
        return (observed - big_e) ** 2 / big_v

    best = (z2_of(first if sign > 0 else last), first if sign > 0 else last)
    while True:
        big_e, big_v = path_ev(best[1], n1, n0)
        x0 = sign * (big_e - observed)
        mu = x0 / (2 * big_v)
        weight = -(sign * e - mu * v)  # maximising it minimises sign * E - mu V
        table = _best_table(weight)
        threshold = x0 - mu * big_v  # the incumbent's score
        lowest = -table[0, 0] - sign * observed
        if lowest >= threshold - 1e-12 * (abs(threshold) + 1):
            return (*best, True)
        candidate = best_path(weight)
        value = z2_of(candidate)
        if value < best[0]:
            best = (value, candidate)
            continue
        break
    # list every ordering scoring below the incumbent
    visits = 0
    stack = [(0, 0, 0.0, "")]
    limit = threshold + sign * observed  # compare sign * E - mu V (partial + rest) with this
    while stack:
        i, j, score, prefix = stack.pop()
        visits += 1
        if visits > max_visits:
            return (*best, False)
        if i == d1 and j == d0:
            value = z2_of(prefix)
            if value < best[0]:
                best = (value, prefix)
            continue
        step_score = score + sign * e[i, j] - mu * v[i, j]
        for di, dj, arm in ((1, 0, TREAT), (0, 1, CTRL)):
            ni, nj = i + di, j + dj
            if ni <= d1 and nj <= d0 and step_score - table[ni, nj] < limit:
                stack.append((ni, nj, step_score, prefix + arm))
    return (*best, True)


def meet_in_middle_cells(d1: int, d0: int) -> int:
    """Cells :func:`meet_in_middle` lists: orderings times deaths on each side of the middle."""
    total = d1 + d0
    k = total // 2
    cells = 0
    for i in range(max(0, k - d0), min(d1, k) + 1):
        cells += math.comb(k, i) * k + math.comb(total - k, d1 - i) * (total - k)
    return cells


def meet_in_middle(n1: int, n0: int, d1: int, d0: int, observed: float, *, max_pairs: int):
    """Smallest ``Z**2`` over all orderings by meeting in the middle, exactly.

    Every ordering passes exactly one node ``(i, k - i)`` after its first
    ``k = (d1 + d0) // 2`` deaths; its ``E`` and ``V`` are the sums of a first half (an
    ordering of ``i`` treated and ``k - i`` control deaths from ``n1``, ``n0`` at risk)
    and a second half (an ordering of the rest from ``n1 - i``, ``n0 - k + i`` at risk).
    Both halves are listed.  With the second halves sorted by ``E``, the pairs whose
    total ``E`` is nearest ``O`` give a first bound ``z``; a better pair must have
    ``|O - E| < sqrt(z (V_first + largest V_second))``, and every pair inside that
    window is checked.  Returns ``(z2, ordering)``, or ``None`` when the windows hold
    more than ``max_pairs`` pairs.
    """
    total = d1 + d0
    k = total // 2
    halves = []
    for i in range(max(0, k - d0), min(d1, k) + 1):
        fe, fv, fp = all_orderings(n1, n0, i, k - i)
        be, bv, bp = all_orderings(n1 - i, n0 - (k - i), d1 - i, d0 - (k - i))
        order = np.argsort(be)
        halves.append((fe, fv, fp, be[order], bv[order], bp[order], i))
    best = (math.inf, None)
    for fe, fv, fp, be, bv, bp, i in halves:  # nearest pairs: a first bound
        target = observed - fe
        idx = np.searchsorted(be, target)
        for cand in (np.clip(idx - 1, 0, len(be) - 1), np.clip(idx, 0, len(be) - 1)):
            z2 = (target - be[cand]) ** 2 / (fv + bv[cand])
            m = int(np.argmin(z2))
            if z2[m] < best[0]:
                best = (float(z2[m]), (fp[m], bp[cand[m]], i))
    pairs = 0
    for fe, fv, fp, be, bv, bp, i in halves:  # every pair inside the window
        target = observed - fe
        radius = np.sqrt(best[0] * (fv + bv.max()))
        lo, hi = np.searchsorted(be, target - radius), np.searchsorted(be, target + radius, side="right")
        counts = hi - lo
        pairs += int(counts.sum())
        if pairs > max_pairs:
            return None
        rows = np.repeat(np.arange(len(fe)), counts)
        if not len(rows):
            continue
        cols = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts) + lo[rows]
        z2 = (target[rows] - be[cols]) ** 2 / (fv[rows] + bv[cols])
        m = int(np.argmin(z2))
        if z2[m] < best[0]:
            best = (float(z2[m]), (fp[rows[m]], bp[cols[m]], i))
    first_positions, second_positions, i = best[1]
    first = ordering_from_positions(first_positions, k)
    second = ordering_from_positions(second_positions, total - k)
    return best[0], first + second


def exchange_search(n1: int, n0: int, d1: int, d0: int, observed: float, *, rounds: int = 30):
    """An ordering with ``E`` as close to ``O`` as single and double exchanges reach.

    ``E = n1 H - sum_{s in S} w_s`` where ``S`` holds the positions of the treated deaths
    and ``w_s = sum_{t > s} 1 / (N - t)``; moving the treated deaths between positions
    changes ``E`` by differences of ``w``.  Starting from the ordering nearest ``O`` on a
    chain of adjacent swaps (found by bisection), each round applies the single exchange
    or the pair of exchanges (found by sorting and bisection) that brings ``E`` closest
    to ``O``.
    """
    total, big_n = d1 + d0, n1 + n0
    inv = 1.0 / (big_n - np.arange(total, dtype=float))
    w = np.concatenate((np.cumsum(inv[::-1])[::-1][1:], [0.0]))
    target = n1 * inv.sum() - observed  # want sum of w over S == target
    # start: the ordering nearest O on the chain that moves the treated deaths, last one
    # first, one adjacent swap at a time from first to last place (E rises at each swap)
    def chain(k):
        moved, partial = divmod(k, d0)
        positions = list(range(d1 - moved))
        if moved < d1:
            positions[-1] += partial
        positions += list(range(total - moved, total))
        flags = np.zeros(total, dtype=bool)
        flags[positions] = True
        return flags

    lo, hi = 0, d1 * d0
    while hi - lo > 1:  # E(chain(k)) = n1 H - sum w: rises with k; find where it passes O
        mid = (lo + hi) // 2
        if w[chain(mid)].sum() >= target:
            lo = mid
        else:
            hi = mid
    chosen = min((chain(lo), chain(hi)), key=lambda f: abs(w[f].sum() - target))
    current = w[chosen].sum()
    for _ in range(rounds):
        r = current - target
        if abs(r) < 1e-15 * max(1.0, abs(target)):
            break
        ins, outs = np.flatnonzero(~chosen), np.flatnonzero(chosen)
        delta = (w[ins][None, :] - w[outs][:, None]).ravel()
        pair_out = np.repeat(outs, len(ins))
        pair_in = np.tile(ins, len(outs))
        best = (abs(r), None)
        k = int(np.argmin(np.abs(r + delta)))
        if abs(r + delta[k]) < best[0]:
            best = (abs(r + delta[k]), ((pair_out[k], pair_in[k]),))
        if len(delta) <= 400_000:
            order = np.argsort(delta)
            sorted_delta = delta[order]
            want = -r - sorted_delta
            idx = np.searchsorted(sorted_delta, want)
            for shift in (-1, 0):
                cand = np.clip(idx + shift, 0, len(order) - 1)
                miss = np.abs(r + sorted_delta + sorted_delta[cand])
                for m in np.argsort(miss)[:8]:
                    p, q = order[m], order[cand[m]]
                    moves = {pair_out[p], pair_in[p], pair_out[q], pair_in[q]}
                    if len(moves) == 4 and miss[m] < best[0]:
                        best = (float(miss[m]), ((pair_out[p], pair_in[p]), (pair_out[q], pair_in[q])))
        if best[1] is None:
            break
        for out_pos, in_pos in best[1]:
            chosen[out_pos], chosen[in_pos] = False, True
        current = w[chosen].sum()
    return ordering_from_positions(np.flatnonzero(chosen), total)


def count_orderings(d1: int, d0: int) -> int:
    return math.comb(d1 + d0, d1)
