"""How bad an inconsistency is: one definition, used by every rule and printed by reports.

A flag's severity is judged on the *nearest* values inside the rounding
intervals of both sides (so rounding never inflates it):

- ``gross``: a sign change (a rise read as a fall) or a factor of 2 or more;
- ``major``: a relative gap of :data:`MAJOR_GAP` (10 %) or more of the larger
  value (for rates and shares also at least :data:`MAJOR_POINTS`, half a
  percentage point), or a conclusion that changes although the gap is small: a threshold
  claim (突破/超过/以上/以内) on the wrong side, a target reachable on one
  reading and not on the other;
- ``minor``: anything smaller (a last digit, a revision: 153.76 vs 153.9).

The labels and their definitions (zh, en) are data, :data:`SEVERITY_DEFINITIONS`,
so reports print the definition next to the flag.
"""
from __future__ import annotations

import math

from analysis.growth import Interval

__all__ = ["MAJOR_GAP", "SEVERITIES", "SEVERITY_DEFINITIONS", "assess", "classify",
           "relative_gap"]

#: Labels, mildest first.
SEVERITIES = ("minor", "major", "gross")

#: Relative gap (of the larger magnitude) from which an inconsistency is ``major``.
MAJOR_GAP = 0.10
#: For rates and shares (%, percentage points) the gap must also reach this many points:
#: −0.6 % vs −0.38 % is 30 % apart but a fifth of a point.
MAJOR_POINTS = 0.5
#: Units whose values are percentages or percentage points.
POINT_UNITS = ("%", "pp", "个百分点")

#: label -> {"zh": name, "en": name, "definition_zh": ..., "definition_en": ...}
SEVERITY_DEFINITIONS: dict[str, dict[str, str]] = {
    "minor": {
        "zh": "轻微", "en": "minor",
        "definition_zh": "差距小于较大值的10%（增速、比重差距小于0.5个百分点），且不改变任何结论"
                         "（如末位数字不符、数据修订）",
        "definition_en": "gap under 10% of the larger value (rates and shares: under half a "
                         "percentage point) and no conclusion changes (a last digit, a revision)",
    },
    "major": {
        "zh": "较大", "en": "major",
        "definition_zh": "差距达到较大值的10%及以上（增速、比重还须达到0.5个百分点），或结论因此改变（“突破”“超过”等门槛说法不成立，"
                         "目标能否实现的判断改变）",
        "definition_en": "gap of 10% or more of the larger value (rates and shares: and at "
                         "least half a percentage point), or a conclusion changes "
                         "(a threshold claim such as 突破/超过 is false, a target's "
                         "attainability flips)",
    },
    "gross": {
        "zh": "严重", "en": "gross",
        "definition_zh": "方向相反（增长写成下降）或相差2倍及以上",
        "definition_en": "opposite sign (a rise read as a fall) or a factor of 2 or more",
    },
}


def relative_gap(a: float, b: float) -> float:
    """|a − b| over the larger magnitude (0 when both are 0).

    >>> round(relative_gap(2.575, 1.7052), 3), relative_gap(0, 0)
    (0.338, 0.0)
    """
    m = max(abs(a), abs(b))
    return abs(a - b) / m if m else 0.0


def _factor_or_sign(a: float, b: float) -> bool:
    if a * b < 0:
        return True
    if a == 0 or b == 0:
        return False
    return max(abs(a), abs(b)) / min(abs(a), abs(b)) >= 2


def classify(nearest_stated: float, nearest_implied: float, *,
             stated_iv: Interval | None = None, stated: float | None = None,
             implied: float | None = None, conclusion_changes: bool = False,
             unit: str = "") -> str:
    """The severity of an inconsistency from the nearest readings of both sides.

    ``stated``/``implied`` (the printed and computed points) must agree on a
    gross gap too, so one open end cannot make it gross; ``stated_iv`` with an
    infinite end is a threshold claim (超过280亿元): being on its wrong side
    changes the conclusion.

    >>> classify(2.575, 1.7052, unit="%"), classify(153.765, 153.85), classify(0.5, 0.25)
    ('major', 'minor', 'gross')
    >>> classify(-0.55, -0.385, unit="%")
    'minor'

    >>> classify(279.5, 277.485, stated_iv=Interval(279.5, math.inf))
    'major'
    """
    s, i = nearest_stated, nearest_implied
    points_agree = stated is None or implied is None or not all(
        math.isfinite(x) for x in (stated, implied)) or _factor_or_sign(stated, implied)
    if _factor_or_sign(s, i) and points_agree:
        return "gross"
    big = relative_gap(s, i) >= MAJOR_GAP and (
        unit not in POINT_UNITS or abs(s - i) >= MAJOR_POINTS)
    if big or conclusion_changes:
        return "major"
    if stated_iv is not None and not (math.isfinite(stated_iv.lo) and math.isfinite(stated_iv.hi)):
        return "major"
    return "minor"


def assess(stated_iv: Interval, implied_iv: Interval, *, conclusion_changes: bool = False,
           unit: str = "") -> str | None:
    """Severity of a stated interval against an implied one; None when they meet (a gap
    that rounding explains is no inconsistency).

    >>> assess(Interval(7.25, 7.35), Interval(7.3, 7.4)) is None
    True
    """
    if stated_iv.intersects(implied_iv):
        return None
    s = stated_iv.hi if implied_iv.lo > stated_iv.hi else stated_iv.lo
    i = implied_iv.lo if implied_iv.lo > stated_iv.hi else implied_iv.hi
    return classify(s, i, stated_iv=stated_iv, conclusion_changes=conclusion_changes, unit=unit)
