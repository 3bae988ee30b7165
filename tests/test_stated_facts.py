"""Every fact the 2023 report states about the indicators, checked against the data.

``data/2023/published/stated_facts.csv`` holds 93 statements of the report (``kind``: total,
rank, top, ratio, share, count; ``code``: I01–I30, or ``I21+I22`` for the VC+PE total). Each row
is one test, checked against the raw values of the edition (``ed.wide``) and, where a statement
is about a sub-pillar's top 20, the engine's ranks (``ed.scores``).

How each kind is read (``data/2023/published/NOTES.md``, "stated_facts"):

* **Which cities.** Chapters 3–5 (``where`` §3.x–§5.x) discuss the main list: ranks, top lists,
  counts and shares there are among the **108 main cities**. The report shows it: it
  puts Boston first on I01 with 46,091 researchers per million (§3.2) while giving Ithaca, a
  mini-hub, about 300,000 (§2.3), and compares Madrid with "the 108 cities" (§5.4). Statements
  of the mini-hub section (§2.3: "in the world") rank among all 119; totals say their set.
* **rank** — the city's rank on the indicator among those cities, descending, ties sharing the
  best rank. A bracketed qualifier restricts the set (``among the C2 top-20 cities``: the 20
  best main cities on C2) or names a *component* of the indicator (AI/IC/renewable patents,
  pharma market value, fixed broadband): components are not in the data, so such a fact cannot
  be checked.
* **top** — ``value`` lists cities joined by ``|``. ``(ordered)``: the i-th city ranks i-th;
  otherwise (``order as printed``, ``order not stated``) every listed city is in the top k, and
  a city named ``… 1st`` ranks first. ``within the A3 top-20`` / ``among the C1 top-20``: ranked
  within that sub-pillar's 20 best main cities.
* **total** — ``sum over the 119 evaluated cities``: the sum of the indicator over all 119;
  ``A1 top-20 cities in <continent>``: the sum over the A1 top 20 (Figure 7) of that continent;
  a ``universe`` (all patents or unicorns in the world) is not a sum over cities: not checkable.
* **count** — the number of cities meeting the condition, and the listed cities (after ``=``)
  exactly; a top 10 with ties holds every city ranked ≤ 10 (the stated 11).
* **share** — printed percentages are rounded half up to the printed digits; ``leading cities``
  are the indicator's top 10, ``mostly`` means more than half.
* **ratio** — growth against an earlier year needs the earlier value, which the data do not
  hold: not checkable. ``most cities: OFDI vs FDI``: more than half of the main cities have
  I20 > I19 ("far above" is not quantified).

A fact that the data contradict, or that cannot be checked, has ``status = xfail`` and its
``reason`` in the file: the test is a strict xfail (it must fail, with an assertion or a
:class:`NotCheckable`; any other error is a real failure, e.g. a city name that maps to no city).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from _seeds import seed_path
from gihi.core.paths import DATA_DIR

FACTS = DATA_DIR / "2023" / "published" / "stated_facts.csv"
ALIASES = DATA_DIR / "meta" / "city_aliases.csv"
COLUMNS = ["kind", "code", "subject", "value", "where", "quote", "status", "reason"]
REPORT_SEED = "000_2001bde7808e1843.txt"  # the GIHI 2023 report text


class NotCheckable(Exception):
    """The data hold nothing to check the fact against (a component, an earlier year, a world total)."""


def read_facts() -> list[dict]:
    with open(FACTS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


FACT_ROWS = read_facts()


def _id_names() -> dict[str, str]:
    """Chinese name → city id, for readable ASCII test ids (pytest escapes non-ASCII ids). Read from
    the files at collection; the tests map names with the edition (fixture ``d``) and fail loudly."""
    names = {}
    for path, key, value in ((DATA_DIR / "2023" / "meta" / "cities.csv", "name_zh", "id"), (ALIASES, "alias", "city_id")):
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                names.setdefault(r[key], r[value])
    return names


def _fact_id(row: dict, seen: dict, names: dict) -> str:
    """``rank-I01-boston``, ``rank-I10-tokyo-AI_component``, ``top-I01-top_5``, ``ratio-I19-phoenix_2022_vs_2021``."""
    subject = row["subject"]
    if row["kind"] != "rank":
        subject = re.split(r" \(| = ", subject)[0]          # the head of the subject, before its notes
    subject = re.sub(r"[\[\]]", " ", subject).strip()
    words = ["+".join(names.get(n, n) for n in w.split("|")) for w in subject.split()]
    fid = f"{row['kind']}-{row['code']}-{'_'.join(words)}"[:60].replace(";", "").replace(",", "")
    seen[fid] = seen.get(fid, 0) + 1
    return fid if seen[fid] == 1 else f"{fid}-{seen[fid]}"


def _params():
    seen: dict = {}
    names = _id_names()
    out = []
    for row in FACT_ROWS:
        marks = ()
        if row.get("status") == "xfail":
            marks = pytest.mark.xfail(strict=True, raises=(AssertionError, NotCheckable), reason=row["reason"])
        out.append(pytest.param(row, id=_fact_id(row, seen, names), marks=marks))
    return out


# --------------------------------------------------------------------------- the data, once

@dataclass
class Data:
    wide: pd.DataFrame           # cities × I01..I30, raw values
    cities: pd.DataFrame         # index id: name_zh, group, continent, country_iso3
    scores: pd.DataFrame         # ed.scores: every level's score and rank
    names: dict                  # every Chinese spelling → city id
    main: list                   # the 108 main cities

    def id_of(self, name: str) -> str:
        if name not in self.names:
            raise LookupError(f"city name {name!r} in stated_facts.csv matches no city of 2023/meta/cities.csv "
                              f"(name_zh) nor of meta/city_aliases.csv")
        return self.names[name]

    def ids_of(self, names: str) -> list[str]:
        return [self.id_of(n) for n in names.split("|")]

    def values(self, code: str) -> pd.Series:
        """One indicator, or the sum of several (``I21+I22``)."""
        return sum(self.wide[c] for c in code.split("+"))

    def top_of(self, level: str, k: int) -> list[str]:
        """The main cities ranked ≤ k on a level of the index (the report's sub-pillar top lists)."""
        s = self.scores[self.scores["group"] == "main"]
        return list(s.index[s[f"{level}_rank"] <= k])

    def rank(self, code: str, among: list[str]) -> pd.Series:
        """Descending rank on the indicator among the cities ``among`` (ties share the best rank)."""
        return self.values(code).loc[among].rank(ascending=False, method="min").astype(int)

    def cities_of(self, f: dict) -> tuple[list[str], str]:
        """The cities a statement ranks or counts, and their description (module docstring)."""
        if f["where"].startswith("§2.3"):
            return list(self.wide.index), "the 119 cities"
        return self.main, "the 108 main cities"


@pytest.fixture(scope="module")
def d(real_edition) -> Data:
    cities = real_edition.cities.set_index("id")
    names = dict(zip(cities["name_zh"], cities.index))
    with open(ALIASES, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            names.setdefault(r["alias"], r["city_id"])
    wide = real_edition.wide
    assert len(wide) == 119 and wide.notna().all().all()
    main = list(cities.index[cities["group"] == "main"])
    assert len(main) == 108
    return Data(wide=wide, cities=cities, scores=real_edition.scores, names=names, main=main)


# --------------------------------------------------------------------------- helpers

def _int(value: str) -> int:
    assert re.fullmatch(r"\d+", value), f"expected a whole number, found {value!r}"
    return int(value)


def _percent(share: float, printed: str) -> str:
    """``share`` (0–1) printed with the digits of ``printed`` (e.g. ``90%``, ``72.5%``), rounded half up."""
    digits = len(printed.rstrip("%").partition(".")[2])
    q = Decimal(1).scaleb(-digits)
    return f"{Decimal(repr(float(share * 100))).quantize(q, ROUND_HALF_UP)}%"


def _describe(d: Data, code: str, ids, rank: pd.Series | None = None) -> str:
    v = d.values(code)
    parts = []
    for i in ids:
        r = f" rank {rank[i]}" if rank is not None and i in rank.index else ""
        parts.append(f"{d.cities.loc[i, 'name_zh']} {v[i]:g}{r}")
    return "; ".join(parts)


def _leaders(d: Data, code: str, k: int, among: list[str]) -> str:
    r = d.rank(code, among)
    top = r[r <= k].sort_values(kind="stable").index
    return _describe(d, code, top, r)


def _component(text: str, code: str) -> None:
    if "component" in text:
        raise NotCheckable(f"the statement is about a component of {code}; the data hold only {code} itself")


# --------------------------------------------------------------------------- the kinds

def check_total(f: dict, d: Data) -> None:
    code, subject, want = f["code"], f["subject"], _int(f["value"])
    if "universe" in subject:
        raise NotCheckable(f"a world total ({subject}); the data hold only the evaluated cities' values of {code}")
    if subject.startswith("sum over the 119 evaluated cities"):
        got = d.values(code).sum()
        assert got == want, f"the 119 cities' {code} sums to {got:g}; the report states {want}"
        return
    m = re.fullmatch(r"A1 top-20 cities in (North America|Europe|Asia) \(Fig 7 cities\)", subject)
    if m:
        top = d.top_of("A1", 20)
        assert len(top) == 20, f"A1 top 20 holds {len(top)} cities (ties)"
        continent = m.group(1).lower().replace(" ", "_")
        ids = [i for i in top if d.cities.loc[i, "continent"] == continent]
        got = d.values(code).loc[ids].sum()
        assert got == want, (f"A1 top-20 cities in {m.group(1)} hold {got:g} on {code} "
                             f"({_describe(d, code, ids)}); the report states {want}")
        return
    raise ValueError(f"no rule to check a total {subject!r}")


def check_rank(f: dict, d: Data) -> None:
    code, want = f["code"], _int(f["value"])
    m = re.fullmatch(r"(\S+?)(?: \[(.+)\])?", f["subject"])
    city, qualifier = d.id_of(m.group(1)), m.group(2)
    among, where = d.cities_of(f)
    if qualifier:
        _component(qualifier, code)
        q = re.fullmatch(r"VC\+PE total, among the C2 top-20 cities of Fig 31", qualifier)
        if not q:
            raise ValueError(f"no rule for the qualifier {qualifier!r}")
        among, where = d.top_of("C2", 20), "the C2 top-20 cities"
        assert len(among) == 20
    r = d.rank(code, among)
    assert r[city] == want, (f"{m.group(1)} ranks {r[city]} on {code} among {where} ({_describe(d, code, [city])}); "
                             f"the report states {want}. Data's leaders: {_leaders(d, code, max(want, r[city]), among)}")


def check_top(f: dict, d: Data) -> None:
    code, subject = f["code"], f["subject"]
    ids = d.ids_of(f["value"])
    _component(subject, code)
    k = int(re.match(r"(?:members of the )?top (\d+)", subject).group(1))
    among, where = d.cities_of(f)
    m = re.search(r"(?:within|among) the (A\d|C\d) top-20 cities", subject)
    if m:
        among, where = d.top_of(m.group(1), 20), f"the {m.group(1)} top-20 cities"
        assert len(among) == 20
    r = d.rank(code, among)
    got = [int(r[i]) for i in ids]
    shown = f"data ({where}): {_describe(d, code, ids, r)}; data's top {k}: {_leaders(d, code, k, among)}"
    if "members of the" not in subject:
        assert len(ids) == k, f"{len(ids)} cities listed for a top {k}"
    if "(ordered" in subject:
        assert got == list(range(1, len(ids) + 1)), f"stated order {f['value']}; {shown}"
    else:
        assert max(got) <= k, f"not all of {f['value']} are in the top {k}; {shown}"
    first = re.search(r"([^\s(;]+) (?:explicitly )?1st", subject)
    if first:
        assert r[d.id_of(first.group(1))] == 1, f"{first.group(1)} is not first; {shown}"


def check_count(f: dict, d: Data) -> None:
    code, subject, want = f["code"], f["subject"], _int(f["value"])
    m = re.fullmatch(r"cities with (I\d\d) > (\d+) per million = (\S+) \(listing order as printed\)", subject)
    if m:
        listed = set(d.ids_of(m.group(3)))
        among, where = d.cities_of(f)
        above = d.values(code).loc[among] > float(m.group(2))
        got = set(above.index[above])
        assert len(got) == want and got == listed, (
            f"{len(got)} of {where} above {m.group(2)}: {_describe(d, code, sorted(got))}; the report states {want}: "
            f"{m.group(3)} ({_describe(d, code, sorted(listed))})")
        return
    m = re.fullmatch(r"(Asian|Chinese) cities in the top (\d+)(?: \((\d+) cities because of ties\))?", subject)
    if m:
        among, where = d.cities_of(f)
        k = int(m.group(2))
        r = d.rank(code, among)
        top = list(r.index[r <= k])
        if m.group(3):
            assert len(top) == int(m.group(3)), f"the top {k} of {where} holds {len(top)} cities: {_leaders(d, code, k, among)}"
        which = (d.cities.loc[top, "continent"] == "asia") if m.group(1) == "Asian" else (d.cities.loc[top, "country_iso3"] == "CHN")
        got = int(which.sum())
        assert got == want, (f"{got} {m.group(1)} cities in the top {k} of {where} on {code}; the report states {want}. "
                             f"Data's top {k}: {_leaders(d, code, k, among)}")
        return
    raise ValueError(f"no rule to check a count {subject!r}")


def check_share(f: dict, d: Data) -> None:
    code, subject, value = f["code"], f["subject"], f["value"]
    _component(subject, code)
    m = re.fullmatch(r"evaluated cities with positive GDP growth in (\d{4})( \(previous data year\))?", subject)
    if m and m.group(2):
        raise NotCheckable(f"{code} holds one year of growth ({m.group(1)} is the earlier year); the data have no {m.group(1)} values")
    among, where = d.cities_of(f)
    if m:
        v = d.values(code).loc[among]
        got = _percent((v > 0).mean(), value)
        assert got == value, f"{int((v > 0).sum())} of {where} have {code} > 0 = {got}; the report states {value}"
        return
    if subject == "share of all large-scale facilities held by the A3 top-10 cities":
        top = d.top_of("A3", 10)
        held = d.values(code).loc[top].sum() / d.values(code).loc[among].sum()
        raise NotCheckable(f"the report's denominator is every large facility in the world (全球), which the data do not hold "
                           f"(the A3 top-10 cities hold {held:.0%} of the main cities' {code})")
    if subject == "leading cities" and value.startswith("mostly European"):
        r = d.rank(code, among)
        top = list(r.index[r <= 10])
        europe = int((d.cities.loc[top, "continent"] == "europe").sum())
        assert europe * 2 > len(top), (f"{europe} of the top {len(top)} of {where} on {code} are European: "
                                       f"{_leaders(d, code, 10, among)}")
        return
    raise ValueError(f"no rule to check a share {subject!r}")


def check_ratio(f: dict, d: Data) -> None:
    code, subject = f["code"], f["subject"]
    if subject.startswith("most cities: OFDI (I20) vs FDI (I19)"):
        among, where = d.cities_of(f)
        above = d.values("I20").loc[among] > d.values("I19").loc[among]
        assert above.sum() * 2 > len(above), f"I20 > I19 for {int(above.sum())} of {where}"
        return
    names = subject.split(" ", 1)[0]
    d.ids_of(names)                                     # every name must map, checkable or not
    _component(subject, code)
    m = re.search(r"(\d{4}) vs (previous year|\d{4})", subject)
    if m:
        raise NotCheckable(f"a change from {m.group(2)} to {m.group(1)}: the data hold one value of {code} per city, "
                           f"no earlier year")
    raise ValueError(f"no rule to check a ratio {subject!r}")


CHECKS = {"total": check_total, "rank": check_rank, "top": check_top, "count": check_count,
          "share": check_share, "ratio": check_ratio}


@pytest.mark.parametrize("fact", _params())
def test_stated_fact(fact, d):
    CHECKS[fact["kind"]](fact, d)


# --------------------------------------------------------------------------- the file itself

def test_the_file():
    """93 facts; the original six columns, then ``status`` (empty or ``xfail``) and its ``reason``."""
    with open(FACTS, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == COLUMNS
    assert len(FACT_ROWS) == 93
    for n, r in enumerate(FACT_ROWS, start=2):
        assert r["kind"] in CHECKS, f"line {n}: unknown kind {r['kind']!r}"
        assert re.fullmatch(r"I\d\d(\+I\d\d)*", r["code"]), f"line {n}: code {r['code']!r}"
        assert r["status"] in ("", "xfail"), f"line {n}: status {r['status']!r}"
        assert bool(r["reason"]) == (r["status"] == "xfail"), f"line {n}: a reason goes with status xfail, and only with it"


def test_every_quote_is_in_the_report():
    """Each quote (its parts between the ellipses ……) is in the report's text, whitespace aside."""
    text = re.sub(r"\s+", "", seed_path(REPORT_SEED).read_text(encoding="utf-8"))
    missing = []
    for n, r in enumerate(FACT_ROWS, start=2):
        for part in re.split(r"……", r["quote"]):
            if re.sub(r"\s+", "", part) not in text:
                missing.append(f"line {n}: {part!r}")
    assert not missing, missing
