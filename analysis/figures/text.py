"""Figures from running text: number + unit, read with the words around them.

Works on the document's normalized text and maps every span back to the
original.  One pass over the text with :func:`patterns.figure_re`; each match
is read in its sentence: qualifier words before/after it, the cue that gives a
percentage its kind (年均增长, 较2015年增长, 占比 …), the nearest year or plan
period, whether the sentence states a target, and the indicator phrase.
"""
from __future__ import annotations

import bisect
import heapq
from array import array
import functools
import re
from dataclasses import dataclass
from decimal import Decimal


from analysis import lexicons
from analysis.documents import Document
from analysis.figures import numerals, patterns
from analysis.figures.model import Figure

__all__ = ["extract_text", "Sentence"]

#: Characters read on each side of a figure (a sentence longer than this is read in part).
CONTEXT = 240

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE_BOUNDARY = re.compile(r"[，,、：:()（）《》【】\t]")
_PLAN_DOCUMENT = re.compile(r"规划|要点|方案|意见|计划|思路|纲要|措施|通知")
_OPENING_TIME = re.compile(
    r"(?:到|截至|截止)?\s*(?:(?:19|20)\d\d\s*年(?:底|末)?|[“\"]?十[一二三四五]五[”\"]?(?:期间|时期|末)?)[，,]"
)
# A sentence or heading that opens with its year: 2020年，…; 2023年是…; 一、2021年工作回顾.
_OPENS_WITH_YEAR = re.compile(
    r"\s*(?:#+\s*)?(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])?\s*(?:在|截至|截止)?(?P<y>(?:19|20)\d\d)\s*年"
    r"(?!\s*[—\-~至到])(?:底|末|全年|上半年|前三季度|以来)?(?:[，,]|是|全|我|本|工作|[^\d年]{0,3}[，,])")
# A year that is the sentence's own, not a comparison base (比2021年, 较2015年, 从2015年).
_YEAR_NOT_BASE = re.compile(r"(?<![比较从由])(?<!\d)((?:19|20)\d\d)(?=\s*年(?!\s*[—\-~至到]))")


def _document_kind(text: str) -> str | None:
    """bulletin, review, report or plan, from the words in ``text`` (periods.yaml)."""
    for kind, words in lexicons.periods()["document_kinds"].items():
        if any(w in text for w in words):
            return kind
    return None


_REPORTING_MARKS = re.compile(r"比上年|同比|比去年|上年同期|去年同期|初步核算|初步统计|比上月")
_TARGET_MARKS = re.compile(r"到\s*(?:19|20)\d\d\s*年|力争|争取|确保|预期|目标|计划")


def _kind_by_content(text: str, head: str) -> str | None:
    """A document without a telling title: a bulletin when its sentences report changes
    on the previous period far more often than they set targets; else its head's words."""
    sample = text[:20000]
    reporting = len(_REPORTING_MARKS.findall(sample))
    targets = len(_TARGET_MARKS.findall(sample))
    if reporting >= 3 and reporting > 2 * targets:
        return "bulletin"
    kind = _document_kind(head)
    if kind == "plan" and reporting > targets:
        return None                                 # a plan named in passing (“十四五”规划承上启下)
    return kind


_SUMMARY_DOCUMENT = re.compile(r"总结|公报|统计|报告|年鉴")
# Words that start a verb phrase, not a noun: 增加到2020年, 同比增长 …
_VERB_START = re.compile(r"增|提|稳|下降|减|达|比|较|同比|占|为|是|以上|左右|的|，|。|；|、")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # in normalized text
    end: int
    paragraph: int


@functools.cache
def _phrases() -> dict:
    """Compiled strippers: fillers at the end / verbs at the start of an indicator phrase."""
    data = lexicons.load_data("phrases.yaml")
    lexicons.check_fields("phrases.yaml", data,
                          ["version", "trailing", "leading", "not_figures", "cn_count_units"])
    return {
        "cn_count_units": frozenset(data.get("cn_count_units", ())),
        "trailing": re.compile(rf"(?:{patterns.alternation(data['trailing'])})+$"),
        "leading": re.compile(rf"^(?:{patterns.alternation(data['leading'])})+"),
    }


@functools.cache
def _kind_cues() -> list[tuple[str, str, dict]]:
    """(cue, kind, options) for percentage kinds, longest cue first."""
    out = []
    for kind, cues in lexicons.kinds().items():
        if kind in ("multiple", "cum_growth"):
            continue
        for cue, opts in cues.items():
            out.append((cue, kind, opts))
    return sorted(out, key=lambda t: -len(t[0]))


@functools.cache
def _alias_re() -> re.Pattern:
    return re.compile(patterns.alternation(lexicons.alias_index()))


class _Sentences:
    """Sentence spans and paragraph numbers in three int arrays (a long text has ~10^5
    sentences: objects for each would dominate memory); Sentence objects on demand."""

    def __init__(self, text: str):
        self.starts, self.ends, self.paragraphs = array("i"), array("i"), array("i")
        para, prev_end = 0, 0
        for m in _SENTENCE.finditer(text):
            s, e = m.span()
            para += text.count("\n", prev_end, s)
            self.starts.append(s)
            self.ends.append(e)
            self.paragraphs.append(para)
            prev_end = e

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Sentence:
        return Sentence(self.starts[i], self.ends[i], self.paragraphs[i])

    def __iter__(self):
        return map(Sentence, self.starts, self.ends, self.paragraphs)


class _Context:
    """Per-document reading state: years in force, the document's own year and kind."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.norm.text
        self.sentences = _Sentences(self.text)
        self.starts = self.sentences.starts
        # what the document is (bulletin, review, report, plan), from its title, then its head
        title = doc.title
        head = self.text[:300]
        self.kind = _document_kind(title) or _kind_by_content(self.text, head)
        # the year the document speaks from: its printed date or number; undated: the latest
        # year it mentions (a plan's horizon), so that earlier years still read as actuals
        mentioned = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?=\s*年)", self.text)]
        self.dated = doc.year is not None
        self.doc_year = doc.year or (max(mentioned) if mentioned else None)
        if self.kind is not None:
            self.is_plan = self.kind == "plan"
        else:
            self.is_plan = bool(_PLAN_DOCUMENT.search(head)) and not _SUMMARY_DOCUMENT.search(title)
        # a year in the title is the default for what names none, unless it is a far horizon
        # (…和2035年远景目标纲要)
        years = [int(m[1]) for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?!年远景)", title)
                 ] if title != doc.doc_id else []
        self.default_year = years[0] if years else None
        plans = lexicons.periods()["plans"]
        self.plan_span = next((tuple(v) for k, v in plans.items() if k in title), None)
        # A plan whose targets all point at one year (到2025年 …): targets that name no
        # year of their own refer to that horizon.
        horizons = {int(y) for y in re.findall(r"到\s*((?:19|20)\d\d)\s*年", self.text)}
        if self.plan_span:
            horizons.add(self.plan_span[1])
        self.target_horizon = horizons.pop() if len(horizons) == 1 and self.is_plan else None
        # reporting documents: the year a sentence or heading opened with stays in force
        # (2023年是…; 一、2021年工作回顾) for later sentences that name none
        # (plans: within a paragraph only; their next paragraph may turn to the targets)
        self.year_in_force = self._years_in_force(across_paragraphs=not self.is_plan)
        if self.kind == "bulletin":
            # a bulletin reports on one year: sentences before the first that names it
            # (初步核算，全年…) speak of that year too
            subject = next((y for _, y in sorted(self.year_in_force.items())), None)
            if subject is not None:
                for st in self.starts:
                    if st in self.year_in_force:
                        break
                    self.year_in_force[st] = subject
        # years seen per paragraph, for sentences that do not name their own
        self._paragraph_year: dict[int, int] = {}
        self._paragraph_spans: dict[int, list[tuple[int, int]]] = {}
        self.carry = self._opening_times()
        # section headings (一、现实基础 / 三、发展目标): what a section reports
        self.sections = [
            (m.start(), _section_status(m.group()))
            for m in re.finditer(r"(?m)^(?:#+\s*)?[一二三四五六七八九十]{1,3}、[^\n]{1,30}$", self.text)
        ]
        self.section_starts = [p for p, _ in self.sections]

    def _opening_times(self) -> dict[int, tuple[int | None, str | None]]:
        """For each sentence start: the time adverbial (到2025年，/ 截至2020年底，/ “十三五”期间，)
        that opened an earlier sentence of the same paragraph, carried forward."""
        carry: dict[int, tuple[int | None, str | None]] = {}
        current, para = None, -1
        for sent in self.sentences:
            if sent.paragraph != para:
                current, para = None, sent.paragraph
            if current is not None:
                carry[sent.start] = current
            head = self.text[sent.start:sent.start + 24]
            m = _OPENING_TIME.match(head)
            if m:
                found = _years_in(head, 0, m.end())
                if found:
                    _, y, first, per = found[-1]
                    current = (None if first else y, per)
        return carry

    def _years_in_force(self, across_paragraphs: bool) -> dict[int, int]:
        """For each sentence start (reporting documents): the year named by the latest
        sentence opening or heading before it (``2020年全国…``, ``一、2021年工作回顾``),
        and, within a paragraph, the latest year named in an earlier sentence."""
        out: dict[int, int] = {}
        current: int | None = None
        para, in_para = -1, None
        for sent in self.sentences:
            if sent.paragraph != para:
                para, in_para = sent.paragraph, None
            year = in_para if in_para is not None else current
            if year is not None:
                out[sent.start] = year
            m = _OPENS_WITH_YEAR.match(self.text, sent.start, min(sent.end, sent.start + 40))
            if m:
                current = int(m["y"]) if across_paragraphs else None
                in_para = current
            else:
                named = [y for y in _YEAR_NOT_BASE.findall(self.text, sent.start, sent.end)]
                if named:
                    in_para = int(named[-1])
        return out

    def paragraph_opener(self, sent: Sentence) -> int | None:
        """Start of the first sentence of ``sent``'s paragraph, when that is another sentence."""
        i = bisect.bisect_right(self.starts, sent.start) - 1
        while i > 0 and self.sentences.paragraphs[i - 1] == sent.paragraph:
            i -= 1
        start = self.starts[i] if i >= 0 else None
        return start if start is not None and start != sent.start else None

    def paragraph_spans(self, paragraph: int) -> list[tuple[int, int]]:
        """Plan periods named anywhere in a paragraph: [(2016, 2020)] for a “十三五”期间 paragraph."""
        if not self._paragraph_spans and len(self.sentences):
            for sent in self.sentences:
                spans = self._paragraph_spans.setdefault(sent.paragraph, [])
                for _, y, f, _ in _years_in(self.text, sent.start, sent.end):
                    if f is not None and (f, y) not in spans:   # a handful of plan periods
                        spans.append((f, y))
        return self._paragraph_spans.get(paragraph, [])

    def section_status(self, pos: int) -> str | None:
        i = bisect.bisect_right(self.section_starts, pos) - 1
        return self.sections[i][1] if i >= 0 else None

    def sentence_at(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.sentences[max(i, 0)]


YearMention = tuple[int, int, "int | None", "str | None"]


def _years_in(text: str, start: int, end: int) -> list[YearMention]:
    """(position, year, first year of a period, period) of year expressions in
    ``text[start:end]``: ``2020年`` -> (pos, 2020, None, None); ``“十三五”期间`` ->
    (pos, 2020, 2016, "2016-2020")."""
    found: list[YearMention] = []
    for m in patterns.year_re.finditer(text, start, end):
        found.append((m.start(), int(m["y"]), None, None))
    for m in patterns.fiscal_year_re.finditer(text, start, end):
        y = numerals.cn_value(m["y"]) if not m["y"].isdigit() else int(m["y"])
        if y is not None:
            found.append((m.start(), int(y), None, None))
    for m in patterns.plan_re().finditer(text, start, end):
        first, last = lexicons.periods()["plans"][m["plan"]]
        part = m["part"]
        if part in ("末", "期末"):
            found.append((m.start(), last, None, None))
        else:
            found.append((m.start(), last, first, f"{first}-{last}"))
    return sorted(found)


# Markdown and table markup that reposts leave around names: **加粗**, - 列表, | 单元格 |, # 标题
_MARKUP = re.compile(r"[*#|>`~_]+|^\s*[-•·]\s*|<[^<>]{0,40}>")


def _strip_phrase(phrase: str) -> str:
    """Remove fillers and verbs around an indicator phrase (and Markdown/HTML markup)."""
    ph = _phrases()
    phrase = _MARKUP.sub("", phrase)
    phrase = re.sub(r"(?:19|20)\d\d\s*年(?:底|末|的|度)?|[“”\"]?十[一二三四五]五[”\"]?(?:期间|时期|末|期末)?", "", phrase)
    for _ in range(3):                                   # fillers can hide each other
        stripped = ph["leading"].sub("", ph["trailing"].sub("", phrase))
        if stripped == phrase:
            break
        phrase = stripped
    phrase = re.sub(r"^在[^，]{1,8}?(?:打造|建设|培育)", "", phrase)
    phrase = re.sub(r"^\d{1,3}[.、]", "", phrase)       # 26.全市地方储备粮规模 (annex item numbers)
    phrase = phrase.strip(" ，,、的“”\"")
    return "" if _NUMERIC_ONLY.fullmatch(phrase) else phrase


_NUMERIC_ONLY = re.compile(r"[\d.,:%\s]*")


def _last_clause(text: str, start: int, end: int) -> str:
    """The words between the last clause boundary before ``end`` and ``end``."""
    seg = text[start:end]
    cut = 0
    for m in _CLAUSE_BOUNDARY.finditer(seg):
        cut = m.end()
    return seg[cut:]


def _following_noun(text: str, pos: int, end: int) -> str:
    seg = text[pos:end]
    m = re.match(r"(?:[^，,、。；;：:()（）\n\d]|[(（][^()（）]{1,3}[)）]){1,24}", seg)
    if not m:
        return ""
    noun = m.group()
    noun = re.split(r"和|及|与|以及|，|的(?=[^的]*$)", noun)[0] if "的" not in noun[:2] else noun
    return noun.strip("“”\" ")


def extract_text(doc: Document, regions: list[tuple[int, int, int | None]] | None = None) -> list[Figure]:
    """Figures in running text.  ``regions`` are (start, end, year) spans of the *normalized*
    text that belong to an annexed task list: figures there get ``source="table"`` and the
    region's year."""
    ctx = _Context(doc)
    text = ctx.text
    norm = doc.norm
    regions = regions or []
    figures: list[Figure] = []
    skipped = doc.diagnostics.setdefault("skipped", [])   # (position, text, reason)
    in_sentence: dict[int, list[Figure]] = {}
    norm_end: dict[int, int] = {}          # where each figure ends in the normalized text
    current_paragraph, current_sentence = -1, -1
    previous_sentence: list[Figure] = []
    quals = lexicons.qualifiers()
    prefix_words = sorted(quals["prefix"], key=len, reverse=True)
    units = lexicons.units()
    scales = lexicons.scales()

    # both patterns' matches in text order, lazily (a long text has many)
    matches = heapq.merge(patterns.figure_re().finditer(text),
                          patterns.multiple_re().finditer(text), key=lambda m: m.start())

    for m in matches:
        try:
            s, e = m.span()
            full = ctx.sentence_at(s)
            # read at most CONTEXT characters around a figure: keeps run-on "sentences" linear
            sent = Sentence(max(full.start, s - CONTEXT), min(full.end, e + CONTEXT), full.paragraph)
            is_fan = m.re is patterns.multiple_re()
            borrowed = None
            if is_fan:
                unit_word, scale_word = "番", None
            else:
                unit_word = m["unit"]
                scale_word = m["scale"] or (m["scale1"] if not m["sep"] else m["scale"])
                if m["pct"] or m["frac"] or unit_word == "成":
                    unit_word = "%"
                if unit_word is None and scale_word is None:
                    borrowed = _borrowed_unit(text, m)          # 4665、2611亿千瓦时: the list's unit
                    if borrowed is not None:
                        scale_word, unit_word = borrowed
                    elif not _bare_figure(text, m, sent.start):
                        continue                                # a bare number: not a figure
                if unit_word is None and m["sep"]:
                    continue
                if m["cn"] and not _cn_count_ok(text, m, unit_word, units):
                    continue                                   # 两个一百年, 三次产业: names, not figures
                if unit_word == "年" and not _duration_ok(text, m, sent.start):
                    continue                                   # 2020年 is a date; 连续17年 is a count
                if s > 0 and text[s - 1].isascii() and text[s - 1].isalpha() and (
                        unit_word is None or unit_word == "年" or units[unit_word].kind == "count"):
                    continue                                   # PM2.5, G20, 5G: codes and names
            after = text[e:e + 6]
            before = text[max(sent.start, s - 8):s]
            if patterns.not_figure_re().match(after) or before.endswith("+"):
                continue
            if not is_fan and m["num"] and re.fullmatch(r"(?:19|20)\d\d", m["num"]) and unit_word is None:
                continue

            # --- value, range, qualifier --------------------------------------------------------
            fan_qualifier = None
            if is_fan:
                if m["double"]:                                # 翻倍 / 倍增: twice the base
                    value, form_hint = Decimal(2), "times_of"
                else:
                    value, form_hint = numerals.cn_value(m["n"] or "一"), "fan"
                    fan_qualifier = "exceeds" if m["more"] else None
                printed = m.group()
            else:
                value, form_hint = _value(m), None
                printed = m["num"] or m["pct"] or m["frac"] or (
                    m["cheng"] + "成" if m["cheng"] else m["cn"])
            if value is None:
                skipped.append((s, m.group(), "unparsable numeral"))
                continue
            rng = None
            qualifier = None
            if not is_fan and m["sep"]:
                hi = Decimal(m["num2"].replace(",", ""))
                if hi <= value:
                    continue                                   # 2022-07: a date, not a range
                rng = (value, hi)
                qualifier = "range"
                printed = f"{printed}{m['scale1'] or ''}{m['sep']}{m['num2']}"
            if not is_fan and m["infix"]:
                qualifier = quals["infix"][m["infix"]]
            if fan_qualifier:
                qualifier = fan_qualifier
            if not is_fan and m["suffix"]:
                qualifier = quals["suffix"][m["suffix"]]
            for w in prefix_words:
                hit = before.endswith(w) or before.endswith(w + "的")
                if hit and w in ("约", "近", "超") and re.search(rf"(?:签|节|合|预|制|最|附|超){w}的?$", before):
                    hit = False                                # 签约226家 is not "about 226"
                if hit:
                    qualifier = qualifier or quals["prefix"][w]
                    break
            # a prefix further back in the clause: 超过407亿元 is adjacent; 突破280亿元 too.

            # --- unit, scale, kind ----------------------------------------------------------------
            scale = scales[scale_word] if scale_word else Decimal(1)
            if is_fan:
                base_unit, unit_kind = "x", "relative"
            elif unit_word:
                u = units[unit_word]
                base_unit, unit_kind = u.base, u.kind
                scale = scale * u.factor
            else:
                base_unit, unit_kind = "", "level"
            if is_fan:
                unit_printed = "倍" if m["double"] else "番"
            elif borrowed is not None or not (m["scale"] or m["scale1"] or m["unit"]):
                unit_printed = (scale_word or "") + (unit_word or "")
            else:
                # the unit as printed in the original (億元 stays 億元), spaces and breaks removed
                u_start = m.start("scale") if m["scale"] else (m.start("scale1") if m["scale1"] and not m["sep"] else m.start("unit"))
                u_end = m.end("unit") if m["unit"] else m.end("scale") if m["scale"] else m.end("scale1")
                o_s, o_e = norm.span(u_start, u_end)
                unit_printed = re.sub(r"\s+", "", doc.text[o_s:o_e]) or (scale_word or "") + (unit_word or "")

            clause_start = sent.start
            earlier = in_sentence.setdefault(full.start, [])
            if sent.paragraph != current_paragraph:
                current_paragraph, previous_sentence = sent.paragraph, []
            elif not earlier and full.start != current_sentence:
                previous_sentence = in_sentence.get(current_sentence, [])
            current_sentence = full.start
            prev_fig = earlier[-1] if earlier else None
            window_start = max(clause_start, norm_end[id(prev_fig)] if prev_fig else clause_start)
            lead = text[window_start:s]
            kind, form, span_hint, sign = _kind(unit_word, is_fan, unit_kind, lead, text, sent, s)
            form = form_hint or form                      # 翻倍 / 倍增 are twice the base
            if prev_fig is not None and _LIST_ONLY.fullmatch(lead) and (
                    prev_fig.base_unit == base_unit and kind in ("rate", prev_fig.kind)):
                # 分别增长10.3%、5.7%; 下降0.2%和0.5%: list items read like the first
                kind, form = prev_fig.kind, prev_fig.form
                sign = -1 if prev_fig.value < 0 and sign > 0 else sign
            elif prev_fig is not None and prev_fig.extra.get("from") and _TO_FIGURE.search(lead) \
                    and prev_fig.base_unit == base_unit and kind in ("rate", "level"):
                kind = prev_fig.kind                          # 比重从2020年的7.8%提高到10%
            if sign < 0:                                  # exact: no 28-digit context rounding
                value = value.copy_negate()
                if rng:
                    rng = (rng[1].copy_negate(), rng[0].copy_negate())

            # --- years and period -------------------------------------------------------------------
            year, period, base_year, span_years, base_period = _when(
                ctx, sent, s, e, kind, lead, previous_sentence, earlier)
            if kind == "cum_growth" and base_year and year and year - base_year == 1:
                kind = "yoy_growth"                          # 2022年…比2021年增长6.3%

            # --- status -----------------------------------------------------------------------------
            status = _status(ctx, sent, s, year, text, bool(_FROM_FIGURE.search(lead)))
            if status == "target" and year is None and period is None and ctx.target_horizon:
                year = ctx.target_horizon

            # --- indicator ----------------------------------------------------------------------------
            clause = _last_clause(text, window_start, s)
            if not clause.strip() and text[s - 1:s] in "(（" and s - 1 > window_start:
                clause = _last_clause(text, window_start, s - 1)      # 贱金属(10.49亿元 …
            abbrev = _ABBREVIATION.search(text, max(window_start, s - 12), s)
            if not clause.strip() and abbrev:                         # 地区生产总值(GDP)201.20亿元
                clause = _last_clause(text, window_start, abbrev.start())
            clause = _inner_part(clause)
            whole = None
            if kind == "share":
                m_share = re.search(r"占(.{1,20}?)(?:的)?(?:比重|比例)?(?:达到|为|达)?$", clause)
                if m_share and m_share.group(1):
                    whole = _strip_phrase(m_share.group(1)) or None
                    clause = clause[: clause.rfind("占")]
            phrase = _strip_phrase(_strip_cues(clause))
            if whole is None and kind != "share" and text.startswith("其中", full.start):
                # 其中，第一产业增加值44.56亿元: a part of the total the sentence before stated
                total = next((f for f in reversed(previous_sentence)
                              if f.kind in ("level", "count") and f.indicator), None)
                if total is not None and total.indicator != phrase:
                    whole = total.indicator
            elif whole is None and kind != "share" and previous_sentence and \
                    text[full.start - 1:full.start] in ("；", ";"):
                whole = previous_sentence[-1].whole        # …44.56亿元；第二产业增加值29.73亿元
            in_region = next(((rs, re_, ry) for rs, re_, ry in regions if rs <= s < re_), None)
            follows = ""
            after = doc.text[oend_probe(norm, e):][:1]
            # a space or tab ends a cell; in a task list a line break does too (…3个\n市场处)
            if after not in (" ", "\t", "\u3000") and not (in_region and after in "\r\n"):
                follows = _following_noun(text, e, sent.end)
            if unit_kind == "count":
                # 组织4场汽车团购活动: the counted thing follows the unit when a noun follows it
                phrase = follows or phrase
            elif not phrase and follows and not _VERB_START.match(follows):
                phrase = follows                               # 落实4500吨新增储备规模
            if not phrase:
                phrase = _cell_label(text, s, e)              # flattened table: label on the line above
            if not phrase:
                donor = _donor(earlier, kind, base_unit)
                if donor is not None:
                    phrase = donor.indicator or ""
            if not phrase:
                phrase = _strip_phrase(_strip_cues(_inner_part(_last_clause(text, clause_start, s))))
            if not phrase:
                donor = _donor(previous_sentence, kind, base_unit)
                if donor is not None:
                    phrase = donor.indicator or ""
            if not phrase and unit_kind == "level":
                phrase = _following_noun(text, e, sent.end)
            canonical = _canonical(phrase)
            if re.match(r"的|企业", text[e:e + 2]) and unit_kind == "level":
                canonical = None          # 出口5000万至10000万元的企业: a class of firms, not the indicator
            ind = lexicons.indicators().get(canonical) if canonical else None

            # --- provenance ---------------------------------------------------------------------------
            ostart, oend = norm.span(s, e)
            qstart, qend = norm.span(sent.start, sent.end)
            source, region_year = ("table", in_region[2]) if in_region else ("text", None)
            if source == "table" and region_year is not None and (year is None or year == ctx.default_year):
                year = region_year
            fig = Figure(
                id="", value=value, unit=unit_printed, kind=kind, start=ostart, end=oend,
                quote=doc.text[qstart:qend].strip(), indicator=phrase or None,
                indicator_canonical=canonical, indicator_en=ind.en if ind else None,
                region=_region(text, sent.start, s), year=year, period=period, scale=scale,
                base_unit=base_unit, qualifier=qualifier, range=rng, status=status, source=source,
                base_year=base_year, span_years=span_years,
                printed=doc.text[ostart:oend], quote_start=qstart, quote_end=qend,
                document=doc.doc_id, form=form, whole=whole, base_period=base_period,
                sub_period=_sub_period(ctx, full, s),
            )
            fig.extra["nstart"] = s
            if _FROM_FIGURE.search(lead):
                fig.extra["from"] = True
            figures.append(fig)
            earlier.append(fig)
            norm_end[id(fig)] = e
        except Exception as exc:  # one unreadable figure never costs the document
            skipped.append((m.start(), m.group()[:40], f"{type(exc).__name__}: {exc}"[:200]))
    figures += _structures(doc, ctx, skipped)
    return figures


def _value(m: re.Match) -> Decimal | None:
    """The printed number of a figure match as a Decimal (None: not a number after all)."""
    if m["num"]:
        return Decimal(m["num"].replace(",", ""))
    if m["pct"]:
        return numerals.cn_value(m["pct"])
    if m["frac"]:
        v = numerals.cn_value(m["frac"])
        return None if v is None else (v * 100).quantize(Decimal("0.01"))
    if m["cheng"]:
        return numerals.cn_value(m["cheng"] + "成")
    return numerals.cn_value(m["cn"])


#: Words joining the numbers of a list that share one unit: 4665、2611亿千瓦时; 4.8和3.3个百分点.
_LIST_JOIN = re.compile(r"、|和|与|及|以及|,(?=\d)")
_LIST_ITEM = re.compile(r"\d+(?:\.\d+)?")


def _borrowed_unit(text: str, m: re.Match) -> tuple[str | None, str] | None:
    """(scale, unit) of the list a bare number opens: the unit printed after its last item."""
    pos = m.end()
    for _ in range(12):                                  # bounded: lists are short
        j = _LIST_JOIN.match(text, pos)
        if not j:
            return None
        nxt = patterns.figure_re().match(text, j.end())
        if not nxt or not nxt["num"]:
            return None
        if nxt["unit"] or nxt["scale"]:
            return nxt["scale"], nxt["unit"]
        pos = nxt.end()
    return None


#: A bare number is a figure after an index's name (指数为99.7) or where the text is cut.
_INDEX_LEAD = re.compile(r"指数(?:[^，。；,;]{0,12}?(?:为|达到|达|是|从|由))?(?:(?:19|20)\d\d年)?的?$")
# A ratio printed without a unit: 城乡居民收入比缩小至2.0左右 (a multiple, as 是…的2倍)
_RATIO_LEAD = re.compile(r"(?:收入比|之比|比值)[^，。；,;]{0,6}?(?:为|达到|达|缩小至|缩小到|扩大至|扩大到|降至|降到|"
                         r"下降到|下降至|保持在|由)?$")
_RISE_TO = re.compile(r"(?:提高|提升|增长|上升|下降|降低|增加)(?:到|至)$")


def _bare_figure(text: str, m: re.Match, sent_start: int) -> bool:
    if not m["num"] or m["sep"] or re.fullmatch(r"(?:19|20)\d\d", m["num"]):
        return False
    lead = text[max(sent_start, m.start() - 30):m.start()]
    if _INDEX_LEAD.search(lead) or _RATIO_LEAD.search(lead):
        return True
    rise = _RISE_TO.search(lead)
    if rise and re.search(r"指数[^，。；]{0,24}$", lead[:rise.start()]):
        return True                                       # 指数从2020年的85提高到95
    # a number cut by the end of an excerpt (…提高到17): kept as printed, without a unit
    return not text[m.end():].strip() and bool(re.search(r"[到至为额达]$", lead))


_CN_NAME_AFTER = re.compile(r"[“\"「『一二三四五六七八九十大]|产业|农|化")


def _cn_count_ok(text: str, m: re.Match, unit_word: str | None, units) -> bool:
    """A Chinese numeral with a measure word is a count (十六个具体指标, 九部门), except
    where it names something: 两个“一百年”, 三次产业, and 一个 used as an article."""
    if unit_word is None or m["scale"] or m["scale1"]:
        return True
    if unit_word not in units or units[unit_word].kind != "count":
        return unit_word in units
    if unit_word == "年":                                 # 提前两年
        return bool(re.search(r"(?:提前|连续)$", text[max(0, m.start() - 2):m.start()]))
    if m["cn"] == "一" or unit_word not in _phrases()["cn_count_units"]:
        return False                                      # 一个 is an article; 二期 a name
    return not _CN_NAME_AFTER.match(text, m.end())


_DURATION_LEAD = re.compile(r"(?:连续|提前|历时|用了|近|长达|已经|已)$")


def _duration_ok(text: str, m: re.Match, sent_start: int) -> bool:
    """年 after a number is a duration (连续17年; 17年、12年、7年和4年), never a year."""
    if m["num"] and len(m["num"].split(".")[0]) >= 3:
        return False
    if m["scale"]:
        return False
    lead = text[max(sent_start, m.start() - 6):m.start()]
    if _DURATION_LEAD.search(lead):
        return text[m.end():m.end() + 1] not in ("内", "前", "后", "度", "底", "末", "初")
    # an item of a list opened by a duration: 17年、12年
    prev = re.search(r"(\d+)年(?:、|和|及|与)$", lead)
    return bool(prev) and text[m.end():m.end() + 1] not in ("内", "前", "后", "度", "底", "末")


#: A structure ratio: 9.4:66.8:23.8 (三次产业结构), each part a share of one whole.
_STRUCTURE = re.compile(r"(?<![\d.:：∶])\d{1,3}(?:\.\d+)?(?:\s*[:：∶]\s*\d{1,3}(?:\.\d+)?){1,5}(?![\d.:：∶])")
_STRUCTURE_CUE = re.compile(r"结构|比例|比重|构成|之比|调整为|优化为|变为")
_ORDINALS = "一二三四五六"


def _structures(doc: Document, ctx: "_Context", skipped: list) -> list[Figure]:
    """Each part of a structure ratio whose parts add up to 100 (rounding allowed), as a
    share: 三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6 gives six figures."""
    text, norm = ctx.text, doc.norm
    out: list[Figure] = []
    previous: Figure | None = None
    for m in _STRUCTURE.finditer(text):
        try:
            parts = [Decimal(p.strip()) for p in re.split(r"[:：∶]", m.group())]
            total = sum(parts)
            full = ctx.sentence_at(m.start())
            lead = text[max(full.start, m.start() - 30):m.start()]
            cue = _STRUCTURE_CUE.search(lead)
            # parts adding up to 100 (rounding allowed) are a structure; near 100 after a
            # structure word (结构, 比例) too, so the checks can say that they do not add up
            near = Decimal("0.05") * len(parts) + Decimal("0.01")
            if abs(total - 100) > (Decimal(5) if cue else near) or (len(parts) < 3 and not cue):
                continue
            sent = Sentence(max(full.start, m.start() - CONTEXT), min(full.end, m.end() + CONTEXT),
                            full.paragraph)
            near = previous if previous is not None and previous.extra.get("nstart", -1) >= full.start \
                else None
            own = text[(norm_end_of(near) if near else full.start):m.start()]
            is_from = bool(_FROM_FIGURE.search(own))
            year = None
            fm = _FROM_FIGURE.search(own)
            if fm and fm["y"]:
                year = int(fm["y"])
            elif is_from:
                year = _document_relative_year(ctx, text, max(full.start, m.start() - 8), m.start())
            elif near is not None and near.extra.get("from") and _TO_FIGURE.search(own):
                year = ctx.year_in_force.get(full.start, ctx.default_year)
            if year is None:
                named = [y for _, y, first, _ in _years_in(text, full.start, m.start()) if first is None]
                year = named[-1] if named else ctx.year_in_force.get(full.start, ctx.default_year)
            status = _status(ctx, sent, m.start(), year, text, is_from)
            if near is not None and near.extra.get("from") and _TO_FIGURE.search(own):
                phrase = near.whole or ""
            else:
                phrase = _strip_phrase(re.split(r"由|从", _last_clause(text, full.start, m.start()))[0])
            sector = "三次产业" in text[max(0, m.start() - 40):m.start()] and len(parts) == 3
            qstart, qend = norm.span(full.start, full.end)
            pos = m.start()
            for i, value in enumerate(parts):
                num = re.compile(r"\d{1,3}(?:\.\d+)?").search(text, pos)
                assert num is not None
                pos = num.end()
                name = f"第{_ORDINALS[i]}产业比重" if sector else f"{phrase or '结构'}第{i + 1}项"
                ostart, oend = norm.span(num.start(), num.end())
                fig = Figure(
                    id="", value=value, unit="", kind="share", start=ostart, end=oend,
                    quote=doc.text[qstart:qend].strip(), indicator=name, year=year,
                    base_unit="%", status=status, source="text", printed=doc.text[ostart:oend],
                    quote_start=qstart, quote_end=qend, document=doc.doc_id,
                    whole=phrase or None, form="structure",
                )
                fig.extra.update(nstart=m.start(), nend=m.end(), part=i, parts=len(parts),
                                 **({"from": True} if is_from else {}))
                out.append(fig)
            previous = out[-1]
        except Exception as exc:  # never lose the document over one ratio
            skipped.append((m.start(), m.group()[:40], f"{type(exc).__name__}: {exc}"[:200]))
    return out


def norm_end_of(fig: Figure) -> int:
    return fig.extra.get("nend", fig.extra.get("nstart", 0))


@functools.cache
def _sub_period_re() -> re.Pattern:
    words = lexicons.periods()["sub_periods"]
    month = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
    return re.compile(
        rf"(?P<word>{patterns.alternation(words)})"
        rf"|(?<!\d)(?P<a>{month})\s*[-—~～至到]\s*(?P<b>{month})\s*月(?!\d{{1,2}}日)"
        rf"|前(?P<n>{month})个?月"
        rf"|(?<![\d\-—~至])(?P<m>{month})月份")


def _month(s: str) -> int | None:
    v = int(s) if s.isdigit() else numerals.cn_value(s)
    return int(v) if v is not None and 1 <= v <= 12 else None


def _sub_period(ctx: "_Context", sent: Sentence, s: int) -> str | None:
    """The months of the year a figure covers (前三季度 -> "M01-M09"), from its sentence or
    the sentence that opened its paragraph; None for a whole year."""
    text = ctx.text
    found = None
    for found in _sub_period_re().finditer(text, sent.start, s):
        pass
    if found is None:
        opener = ctx.paragraph_opener(sent)
        if opener is not None:
            found = _sub_period_re().match(text, opener, opener + 12) or \
                _sub_period_re().search(text, opener, min(opener + 12, s))
    if found is None:
        return None
    if found["word"]:
        a, b = lexicons.periods()["sub_periods"][found["word"]]
    elif found["n"]:
        a, b = 1, _month(found["n"])
    elif found["m"]:
        a = b = _month(found["m"])
    else:
        a, b = _month(found["a"]), _month(found["b"])
    if a is None or b is None or a > b or (a, b) == (1, 12):
        return None
    return f"M{a:02d}" if a == b else f"M{a:02d}-M{b:02d}"


#: A short parenthetical after a name and before its number: 地区生产总值(GDP)201.20亿元
_ABBREVIATION = re.compile(r"[(（][A-Za-z0-9\u4e00-\u9fff]{1,8}[)）]$")


_LIST_ONLY = re.compile(r"\s*(?:[、，,]|和|及|与|以及|或)+\s*")


def _from_to(text: str, sent: Sentence, s: int, lead: str, earlier, ctx: "_Context"):
    """(year, period) for the figures of 从2020年的7.8%提高到10% (a from-to pair), else None.

    The first takes the year printed with 从/由 (or the start of a 2011~2020年 span before
    it); the second takes the span's end, else the year the sentence set before the pair
    (到2025年，…从2020年的…提高到…), else a plan's single horizon.
    """
    m = _FROM_FIGURE.search(lead)
    span = None
    for span in _PERIOD_RANGE.finditer(text, sent.start, s):
        pass
    if m and not (earlier and earlier[-1].extra.get("from") and not m["y"]):
        if m["y"]:
            return int(m["y"]), None
        if span is not None:
            return int(span["a"]), None
        return None
    prev = earlier[-1] if earlier else None
    if prev is None or not prev.extra.get("from") or not _TO_FIGURE.search(lead):
        return None
    if span is not None:
        return int(span["b"]), None
    pstart = prev.extra.get("nstart", s)
    cut = text.rfind("从", sent.start, pstart)
    cut = max(cut, text.rfind("由", sent.start, pstart))
    years = [y for _, y, first, _ in _years_in(text, sent.start, cut if cut >= 0 else pstart)
             if first is None]
    later = [y for y in years if prev.year is None or y > prev.year]
    if later:
        return later[-1], None
    if ctx.target_horizon and (prev.year is None or ctx.target_horizon > prev.year):
        return ctx.target_horizon, None
    return None


_YEAR_LIST = re.compile(r"(?:19|20)\d\d\s*年(?:\s*(?:、|和|及|与)\s*(?:19|20)\d\d\s*年)+")


def _respective_year(text: str, sent: Sentence, s: int, earlier) -> int | None:
    """2021年、2022年…分别增长4.2%、5.6%: the k-th figure after 分别 takes the k-th year."""
    at = text.rfind("分别", sent.start, s)
    if at < 0:
        return None
    lists = list(_YEAR_LIST.finditer(text, sent.start, at))
    if not lists:
        return None
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", lists[-1].group())]
    k = sum(1 for f in earlier if f.extra.get("nstart", -1) > at)
    return years[k] if k < len(years) else None


def _document_relative_year(ctx: "_Context", text: str, start: int, end: int) -> int | None:
    """今年 / 去年 / 上年 before a figure, as a year, when the document prints its date."""
    words = lexicons.periods()["document_years"]
    # a bulletin speaks from the year it reports on (2022年…由上年的…: 2021); other documents
    # from their printed date
    anchor = ctx.year_in_force.get(ctx.sentence_at(start).start) if ctx.kind == "bulletin" else None
    if anchor is None and (not ctx.dated or ctx.doc_year is None):
        return None
    anchor = anchor if anchor is not None else ctx.doc_year
    found = None
    for m in _document_year_re().finditer(text, start, end):
        found = m
    if found is None or anchor is None:
        return None
    return anchor + words[found["w"]]


@functools.cache
def _document_year_re() -> re.Pattern:
    words = lexicons.periods()["document_years"]
    return re.compile(rf"(?<![比较同与由从])(?P<w>{patterns.alternation(words)})(?!同期|同月|同季)")


_INNER_BOUNDARY = re.compile(r"转变成|转变为|变成|包括|其中|由|从(?!业)")


def _cell_label(text: str, s: int, e: int) -> str:
    """When a figure is alone on its line (a flattened table cell such as ``4场``), the
    cell above it names it (``汽车团购活动``)."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:s].strip() or len(text[e:line_end].strip()) > 4:
        return ""
    prev_end = line_start - 1
    prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
    label = text[prev_start:prev_end].strip()
    if not label or len(label) > 30 or re.search(r"\d", label):
        return ""
    return _strip_phrase(label)


def oend_probe(norm, e: int) -> int:
    """Original offset just after normalized position ``e`` (end of a figure)."""
    return norm.span(e - 1, e)[1] if e > 0 else 0


def _inner_part(clause: str) -> str:
    """The last part of a clause (split at 由/从/转变成 …) that still names something:
    主要进口产品由贱金属 -> 贱金属; 网络零售总额从2015年的 -> 网络零售总额."""
    parts = _INNER_BOUNDARY.split(clause)
    for part in reversed(parts):
        if _strip_phrase(_strip_cues(part)):
            return part
    return parts[-1]


#: How many earlier figures of a sentence a figure may inherit its indicator from.
DONOR_WINDOW = 12


def _donor(earlier: list[Figure], kind: str, base_unit: str) -> Figure | None:
    """The earlier figure in the sentence whose indicator a figure without one inherits:
    the latest level for a rate (增长14.5% after 2316.01亿元), the latest figure in the
    same unit for a level (由2015年的0.1亿美元 after 累计4.47亿美元)."""
    for f in reversed(earlier[-DONOR_WINDOW:]):          # bounded: run-on text stays linear
        if kind in ("level", "count"):
            if f.base_unit == base_unit and f.kind == kind:
                return f
        elif f.indicator:
            return f
    return None


def _strip_cues(clause: str) -> str:
    """Remove the growth/share cue words that precede a percentage."""
    for cue, _, _ in _kind_cues():
        idx = clause.rfind(cue)
        if idx >= 0 and idx >= len(clause) - len(cue) - 6:
            return _COMPARED_TO.sub("", clause[:idx])
    return _COMPARED_TO.sub("", clause)


# 比上年, 较2015年, 比“十三五”末: a comparison base ends the phrase, it does not name it
_COMPARED_TO = re.compile(r"(?:同比|环比|(?:较|比)(?:上年|去年|上月|上季度|同期|上年同期|去年同期|"
                          r"(?:19|20)\d\d年?|[“\"]?十[一二三四五]五)).*$")


def _canonical(phrase: str) -> str | None:
    if not phrase:
        return None
    best = None
    for m in _alias_re().finditer(phrase):
        # the alias must end the phrase (its head noun) and what precedes it must be a place
        # or filler: 全区网络零售额, 椒江区外贸进出口总额 — but not 机电高新出口 or 光电产品.
        tail_ok = m.end() == len(phrase) or phrase[m.end():] in ("额", "总额", "规模")
        if tail_ok and _PLACE_PREFIX.fullmatch(phrase[: m.start()]):
            if best is None or len(m.group()) > len(best):
                best = m.group()
    return lexicons.alias_index()[best] if best else None


# What may stand before an indicator name without changing it: 全区, 椒江区, 全年累计完成 …
_PLACE_PREFIX = re.compile(
    r"(?:全国|全省|全市|全区|全县|本市|本区|[\u4e00-\u9fff]{1,4}?[省市区县])?"
    r"(?:全年|年度|当年|累计|全年累计|实现|完成|共)*(?:外贸)?"
)


def _region(text: str, start: int, pos: int) -> str | None:
    m = None
    for m in re.finditer(r"全国|全省|全市|全区|全县|市本级", text[start:pos]):
        pass
    return m.group() if m else None


def _kind(unit_word, is_fan, unit_kind, lead, text, sent, s):
    """(kind, form, span_hint, sign) for the figure starting at ``s``."""
    if is_fan:
        return "multiple", "fan", None, 1
    if unit_word is None and _RATIO_LEAD.search(lead):
        return "multiple", "times_of", None, 1
    if unit_word == "倍":
        tail = lead[-12:]
        if re.search(r"(?:增长|提高|增加)了?$", tail):
            return "multiple", "increase_times", None, 1
        return "multiple", "times_of", None, 1
    if unit_word in ("个百分点", "百分点"):
        sign = -1 if re.search(r"(?:下降|降低|减少|回落)$", lead[-4:]) else 1
        return "pp_change", None, None, sign
    if unit_kind == "count":
        return "count", None, None, 1
    if unit_word != "%":
        return "level", None, None, 1
    tail = lead[-16:]
    wide = text[max(sent.start, s - 40):s]               # 较2015年的186.4亿元增长36.1%
    cmp = _COMPARISON.search(wide)
    if cmp:
        sign = -1 if re.search(r"(?:下降|减少|降低|回落)(?:了)?[约近]?$", tail) else 1
        if _previous_period_re().fullmatch(cmp["base"].strip("的")):
            return "yoy_growth", None, None, sign           # 比上年增长7.7%: one period
        return "cum_growth", None, None, sign
    for cue, kind, opts in _kind_cues():
        idx = tail.rfind(cue)
        if idx >= 0 and re.fullmatch(
            r"(?:保持在|稳定在|达到|达|为|提高到|至|了|超过|不低于|持续|在|约|大约|近|分别|"
            r"分别为|分别达到|实际|名义|左右|从(?:(?:19|20)\d\d年(?:底|末)?)?的?|由(?:(?:19|20)\d\d年"
            r"(?:底|末)?)?的?)*", tail[idx + len(cue):]
        ):
            if kind == "share":
                return "share", None, None, 1
            return kind, None, opts.get("span"), opts.get("sign", 1)
    if re.search(r"占[^，。；]{0,20}$", tail):
        return "share", None, None, 1
    return "rate", None, None, 1


_COMPARISON = re.compile(
    r"(?<![同环可对])(?:较|比)(?P<base>[^，,。；;]{0,30}?)(?:实际)?(?:增长|提高|下降|增加|减少|降低|上升|上涨|回落)"
    r"(?:了)?[约近]?$")


@functools.cache
def _previous_period_re() -> re.Pattern:
    return re.compile(patterns.alternation(lexicons.periods()["previous_periods"]))


_BASE = re.compile(r"(?<![同环])(?:较|比)([^，。；]{0,30}?)(?:增长|提高|下降|增加|减少|降低|上升)了?$")


_BASE_NO_VERB = re.compile(r"(?<![同环])(?:较|比)([^，。；]{0,16}?)$")   # 比2014年翻一番


_FROM = re.compile(r"(?:由|从)$")
_BASE_TIMES_OF = re.compile(r"(?:是|为|相当于)([^，。；]{0,12}?)的?$")     # 是2015年的1.5倍
# 从2020年的7.8%提高到10%: the first figure of a from-to pair, and the second.
_FROM_FIGURE = re.compile(r"(?:从|由)(?P<when>[^，。；\d]{0,6}?(?:(?P<y>(?:19|20)\d\d)\s*年(?:底|末)?)?[^，。；\d]{0,4}?)的?$")
_TO_FIGURE = re.compile(
    r"^(?:[^，。；]{0,3}?)(?:提高|提升|增长|增加|上升|下降|降低|减少|扩大|缩小|跃升|调整|变|发展|跃居)?"
    r"(?:了)?(?:到|至|为)$")
_PERIOD_RANGE = re.compile(r"(?P<a>(?:19|20)\d\d)\s*年?\s*[—\-~～至到]\s*(?P<b>(?:19|20)\d\d)\s*年")
_TO = re.compile(r"(?:增长|增加|提高|上升|下降|减少|提升)(?:至|到)$")


def _inherited(ctx: _Context, s: int, kind: str, lead: str, previous, has_years: bool):
    """Year and period for a sentence that names none: a 由X增长至Y pair read against the
    span of the sentence before (由2015年…至2020年), the time adverbial that opened the
    paragraph, the sentence a 其中… details, else the document's own year."""
    span = next((f for f in reversed(previous or []) if f.kind == "avg_growth" and f.base_year), None)
    if not has_years and kind == "level" and span is not None:
        if _FROM.search(lead):
            return span.base_year, None
        if _TO.search(lead):
            return span.year, None
    start = ctx.sentence_at(s).start
    carried = ctx.carry.get(start)
    if carried:
        return carried
    if ctx.text.startswith(("其中", "届时"), start) and previous:
        return previous[-1].year, previous[-1].period
    if start in ctx.year_in_force:
        return ctx.year_in_force[start], None
    return ctx.default_year, None


def _when(ctx: _Context, sent: Sentence, s: int, e: int, kind: str, lead: str, previous=(),
          previous_in_sentence=()):
    """(year, period, base_year, span_years, base_period) of the figure at ``s``.

    The year is the nearest year expression before the figure in its sentence
    (``从2015年的73.22亿元增加到2020年的151.28亿元``); a plan period (“十三五”期间)
    gives a period and no single year; ``较2015年增长`` names a base, not the year;
    a sentence without any year takes the last year of its paragraph, else the
    year in the document's title (annual plans and summaries).
    """
    text = ctx.text
    base_year = span = base_period = None
    lead_wide = text[max(sent.start, s - 40):s]
    base_m = _BASE.search(lead_wide) if kind in ("cum_growth", "pp_change") else _BASE.search(lead)
    if base_m and kind in ("cum_growth", "pp_change"):
        lead = lead_wide
    base_m = base_m or (_BASE_NO_VERB.search(lead) if kind == "multiple" else None)
    base_m = base_m or (_BASE_TIMES_OF.search(lead) if kind == "multiple" else None)
    cut = s - len(lead) + base_m.start() if base_m else s
    if base_m:
        named = _years_in(base_m.group(1), 0, len(base_m.group(1)))
        single = [b for b in named if b[2] is None]
        if single:
            base_year = single[-1][1]
        elif named:
            base_period = named[-1][3]
    before = _years_in(text, sent.start, cut)
    whole = _years_in(text, sent.start, sent.end)
    year = period = None
    from_to = _from_to(text, sent, s, lead, previous_in_sentence, ctx)
    respective = _respective_year(text, sent, s, previous_in_sentence)
    if respective is not None:
        year = respective
    elif from_to is not None:
        year, period = from_to
    elif before:
        _, y, first, per = before[-1]
        year, period = (None, per) if first is not None else (y, None)
    else:
        rel = None
        for rel in patterns.relative_year_re().finditer(text, sent.start, s):
            pass
        doc_rel = _document_relative_year(ctx, text, sent.start, cut)
        if rel and ctx.doc_year and ctx.dated:
            # inclusive counting: a 2015 document's 三年内 is 2015–2017 (001's annex: 2017年底前)
            year = ctx.doc_year + lexicons.periods()["relative_years"][rel["rel"]] - 1
        elif doc_rel is not None:
            year = doc_rel
    if year is None and period is None and base_year is None and base_period is None:
        year, period = _inherited(ctx, s, kind, lead, previous, bool(whole))
    if kind == "avg_growth":
        explicit = sorted({y for _, y, first, _ in before if first is None})
        if len(explicit) < 2:
            explicit = sorted({y for _, y, first, _ in whole if first is None})
        spans = [(first, y) for _, y, first, _ in whole if first is not None]
        spans += ctx.paragraph_spans(sent.paragraph)
        if not explicit and year is not None:
            explicit = [year]                              # 年均增长10%左右 after 到2025年，…；
        if len(explicit) >= 2:
            base_year, year = explicit[0], explicit[-1]
        elif len(explicit) == 1:
            year = explicit[0]
            ends = [first - 1 for first, last in spans if last == year]
            if ends:
                base_year = ends[0]
            elif ctx.plan_span and year == ctx.plan_span[1]:
                base_year = ctx.plan_span[0] - 1
        elif spans:
            first, last = spans[0]
            base_year, year = first - 1, last
        if base_year is not None and year is not None and year > base_year:
            span = year - base_year
            period = f"{base_year}-{year}"
    return year, period, base_year, span, base_period


_ACTUAL_SECTION = re.compile(r"现实基础|发展基础|发展成就|工作总结|主要成绩|回顾|主要经济指标|亮点")
_TARGET_SECTION = re.compile(r"目标|任务|思路|举措|措施|工程|行动|重点")


def _section_status(heading: str) -> str | None:
    if _ACTUAL_SECTION.search(heading):
        return "actual"
    if _TARGET_SECTION.search(heading):
        return "target"
    return None


def _status(ctx: _Context, sent: Sentence, s: int, year: int | None, text: str,
            is_from: bool = False) -> str:
    """target or actual.

    A past year, or the first figure of a 从X提高到Y pair, is an actual. In a reporting
    document (bulletin, review) everything else is an actual unless the year lies ahead or a
    target cue (力争, 到2025年 …) stands in its clause; 预计/初步 (estimates) are actuals
    there and targets in plans. Elsewhere: a target cue in the sentence, or in the words
    that introduce an enumeration (主要预期目标是：…；…), makes a target; then the
    section (现实基础 vs 发展目标), a future year, and the document kind decide.
    """
    doc_year = ctx.doc_year
    if year is not None and doc_year is not None and year < doc_year:
        return "actual"
    if is_from:
        return "actual"
    future = year is not None and doc_year is not None and year > doc_year
    if not future and (_past_verb(text, max(sent.start, s - 4), s) or _past_year_word(text, sent.start, s)):
        return "actual"                                   # 已突破10亿千瓦; 去年全省…
    cue = patterns.target_cue_re().search(text, sent.start, s) or _enumeration_cue(ctx, sent)
    estimate = _estimate_re().search(text, max(sent.start, s - 60), s)
    if ctx.kind in ("bulletin", "review"):
        if future or (cue and not estimate and not _past_verb(text, sent.start, s)):
            return "target"
        return "actual"
    if cue:
        return "target"
    if estimate:
        return "target" if ctx.is_plan or future else "actual"
    section = ctx.section_status(s)
    if section and (year is None or year <= (doc_year or year)):
        return section
    if future:
        return "target"
    return "target" if ctx.is_plan else "actual"


_PAST_VERB = re.compile(r"已|提前完成|实现了|完成了|达到了")
def _past_year_word(text: str, start: int, s: int) -> bool:
    """The nearest 今年/去年 word before the figure names a past year (比上年 is a base)."""
    last = None
    for last in _document_year_re().finditer(text, start, s):
        pass
    return last is not None and lexicons.periods()["document_years"][last["w"]] < 0


def _past_verb(text: str, start: int, s: int) -> bool:
    return bool(_PAST_VERB.search(text, max(start, s - 30), s))


@functools.cache
def _estimate_re() -> re.Pattern:
    return re.compile(patterns.alternation(lexicons.periods()["estimate_cues"]))


def _enumeration_cue(ctx: _Context, sent: Sentence) -> bool:
    """A target cue in the words before a colon that opens the enumeration this sentence
    belongs to (今年的主要预期目标是：地区生产总值增长6.5%；…；出口增长8%)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, sent.start) + 1
    colon = max(text.rfind("：", line_start, sent.start), text.rfind(":", line_start, sent.start))
    if colon < 0:
        return False
    return bool(patterns.target_cue_re().search(text, max(line_start, colon - 40), colon))
