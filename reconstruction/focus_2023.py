"""Reconstruct the 2023 focus-chapter datasets (学科策源地, 人工智能技术专利).

Writes ``data/2023/disciplines/papers.csv`` and ``data/2023/ai_patents/*.csv`` from the figures the
GIHI 2023 report states (see ``data/2023/FOCUS_DATA.md``), imputing everything else with a
seeded random generator. After generation the script checks every stated fact and order with the
``gihi`` analytics (first in memory, then again on the files as loaded by ``gihi.model.focus_data``) and
exits with status 1, listing the failures, if any fails; nothing is written when the in-memory
check fails. Rerunning gives byte-identical files.

Usage: ``python reconstruction/focus_2023.py [--data-dir data]``
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq, milp, LinearConstraint, Bounds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gihi.analysis import ai_patents as ai  # noqa: E402
from gihi.analysis import disciplines as dm  # noqa: E402
from gihi.model import focus_data as fd  # noqa: E402

SEED = 20230917
YEAR = 2023
PAPER_YEARS = list(range(2012, 2022))
PATENT_YEARS = list(range(2003, 2023))

# ---------------------------------------------------------------------------------------------
# generic helpers
# ---------------------------------------------------------------------------------------------


def apportion(total: int, weights, caps=None) -> np.ndarray:
    """Split the integer ``total`` in proportion to ``weights`` (largest remainder, ties by
    position); with ``caps`` no part exceeds its cap (excess goes to parts with room)."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    if total == 0:
        return np.zeros(n, dtype=np.int64)
    if w.sum() <= 0:
        w = np.ones(n)
    cap = np.full(n, np.inf) if caps is None else np.asarray(caps, dtype=float)
    if cap.sum() < total:
        raise ValueError(f"caps {cap.sum()} below total {total}")
    out = np.zeros(n, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    remaining = total
    while remaining > 0:
        ww = np.where(free, w, 0.0)
        if ww.sum() <= 0:
            ww = np.where(free, 1.0, 0.0)
        exact = remaining * ww / ww.sum()
        base = np.floor(exact).astype(np.int64)
        rem = int(remaining - base.sum())
        order = sorted(range(n), key=lambda i: (-(exact[i] - base[i]), i))
        for i in order[:rem]:
            base[i] += 1
        new = out + base
        over = new > cap
        if not over.any():
            out = new
            break
        out = np.minimum(new, cap).astype(np.int64)
        free &= ~(out >= cap)
        remaining = total - int(out.sum())
    return out


def geo(first: float, rate: float, n: int) -> np.ndarray:
    return first * (1.0 + rate) ** np.arange(n)


def r1(x: float) -> float:
    """Round half up to one decimal, as a printed percentage."""
    return math.floor(x * 10 + 0.5) / 10


def r2(x: float) -> float:
    return math.floor(x * 100 + 0.5) / 100


# ---------------------------------------------------------------------------------------------
# cities
# ---------------------------------------------------------------------------------------------

REGION = {
    "USA": "NA", "CAN": "NA", "AUS": "AU",
    "GBR": "EU", "DEU": "EU", "FRA": "EU", "CHE": "EU", "NLD": "EU", "SWE": "EU", "DNK": "EU", "AUT": "EU",
    "BEL": "EU", "CZE": "EU", "FIN": "EU", "HUN": "EU", "IRL": "EU", "ITA": "EU", "NOR": "EU", "POL": "EU",
    "PRT": "EU", "ESP": "EU", "RUS": "EU",
    "CHN": "EA", "JPN": "EA", "KOR": "EA", "SGP": "SG",
    "IND": "SA", "IDN": "SA", "MYS": "SA", "THA": "SA",
    "ISR": "ME", "TUR": "ME", "ARE": "ME", "ARG": "LA", "BRA": "LA", "MEX": "LA", "ZAF": "LA",
}


def load_cities(data_dir: Path) -> pd.DataFrame:
    c = fd.load_focus_cities(data_dir)
    c["region"] = c["country_iso3"].map(REGION)
    assert c["region"].notna().all(), c[c["region"].isna()]
    ids = set(c["id"])
    for table in (LIST, PAPERS_K, VALID, PCT, TRIADIC, HQ, IPC_TILT, dict.fromkeys(a[0] for a in APPLICANTS)):
        assert set(table) <= ids, set(table) - ids
    return c


# =============================================================================================
# 1. Discipline sources
# =============================================================================================

# The 33 list cities: (top-10 disciplines, mean HCP ratio %, paper CAGR 2012-2021 %, papers 2012-21)
LIST = {
    "san-francisco-san-jose": (22, 1.75, 4.2, 700_000),
    "boston": (22, 1.60, 3.6, 1_000_000),
    "new-york": (22, 1.40, 3.4, 1_420_000),
    "london": (19, 1.38, 3.9, 1_060_000),
    "baltimore-washington": (17, 1.32, 3.3, 1_300_000),
    "beijing": (15, 0.88, 10.4, 1_650_000),
    "greater-bay-area": (10, 0.94, 15.8, 960_000),
    "oxford": (9, 1.64, 4.4, 260_000),
    "chicago-naperville-elgin": (8, 1.29, 3.5, 560_000),
    "los-angeles-long-beach-anaheim": (7, 1.22, 3.7, 640_000),
    "toronto": (6, 1.07, 4.9, 620_000),
    "shanghai": (6, 0.86, 11.3, 840_000),
    "seattle-tacoma-bellevue": (5, 1.36, 4.0, 430_000),
    "philadelphia": (5, 1.20, 3.2, 520_000),
    "cambridge": (4, 1.57, 4.1, 250_000),
    "singapore": (4, 1.18, 5.5, 420_000),
    "tokyo": (4, 1.01, 1.8, 1_120_000),
    "paris": (4, 1.00, 3.3, 790_000),
    "zurich": (3, 1.48, 4.8, 330_000),
    "melbourne": (3, 0.97, 8.3, 520_000),
    "sydney": (3, 0.96, 8.0, 480_000),
    "seoul": (3, 0.83, 5.7, 880_000),
    "nanjing": (3, 0.81, 14.3, 560_000),
    "amsterdam": (2, 1.26, 5.0, 380_000),
    "copenhagen": (2, 1.24, 5.6, 350_000),
    "chapel-hill-durham-raleigh": (2, 1.14, 4.5, 380_000),
    "atlanta": (2, 1.04, 4.3, 400_000),
    "hangzhou": (2, 0.84, 12.4, 440_000),
    "wuhan": (2, 0.78, 13.2, 500_000),
    "munich": (1, 1.12, 4.6, 430_000),
    "stockholm": (1, 1.10, 4.7, 360_000),
    "brisbane": (1, 0.92, 7.7, 330_000),
    "berlin": (1, 0.91, 3.9, 450_000),
}

# Champion disciplines (rank 1), from §学科冠军城市: NY 8 (49, 51, 32 + five HASS), Beijing 7 (33 +
# six STEM), Boston 3, London 3, GBA 1. Which HASS/STEM divisions exactly is our choice.
CHAMPIONS = {
    "32": "new-york", "49": "new-york", "51": "new-york",
    "36": "new-york", "43": "new-york", "44": "new-york", "47": "new-york", "48": "new-york",
    "33": "beijing", "30": "beijing", "34": "beijing", "37": "beijing", "40": "beijing", "41": "beijing", "46": "beijing",
    "31": "boston", "38": "boston", "52": "boston",
    "42": "london", "39": "london", "50": "london",
    "35": "greater-bay-area",
}

# Regional discipline profiles (relative paper shares), columns in ANZSRC code order.
CODES = ["30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40",
         "41", "42", "43", "44", "46", "47", "48", "49", "50", "51", "52"]
PROFILE = {
    #       30   31   32   33   34   35   36   37   38   39   40   41   42   43   44   46   47   48   49   50   51   52
    "NA": [2.0, 9.5, 31, 0.8, 4.5, 2.2, 0.6, 2.4, 1.6, 1.6, 8.0, 2.0, 9.5, 0.7, 3.8, 5.5, 0.9, 0.9, 2.2, 0.6, 5.5, 4.8],
    "EU": [2.3, 9.0, 25, 0.8, 7.5, 2.0, 0.5, 3.4, 1.6, 1.1, 8.5, 2.3, 6.5, 0.9, 3.0, 6.0, 0.9, 0.8, 4.2, 0.7, 10., 3.4],
    "EA": [3.6, 6.0, 15, 1.0, 13., 1.2, 0.2, 3.6, 0.8, 0.6, 23., 3.6, 3.2, 0.2, 1.0, 11., 0.3, 0.2, 2.8, 0.15, 9.0, 0.9],
    "AU": [3.8, 9.0, 25, 1.2, 4.5, 3.0, 0.8, 3.8, 1.5, 2.6, 8.0, 3.8, 11., 0.9, 4.6, 5.5, 1.0, 1.0, 1.9, 0.6, 4.8, 4.6],
    "SG": [2.0, 6.5, 20, 1.2, 10., 2.2, 0.3, 2.5, 1.2, 1.2, 20., 3.0, 4.5, 0.3, 1.5, 12., 0.5, 0.5, 2.8, 0.3, 8.0, 1.5],
    "SA": [5.0, 6.0, 17, 0.8, 12., 2.0, 0.2, 3.5, 1.0, 0.8, 22., 4.0, 4.0, 0.3, 1.5, 11., 0.3, 0.3, 3.0, 0.2, 7.0, 0.8],
    "ME": [3.0, 7.0, 24, 1.0, 8.0, 2.2, 0.4, 3.0, 1.4, 1.5, 14., 3.0, 6.0, 0.6, 2.5, 8.0, 0.6, 0.6, 3.0, 0.5, 7.0, 2.2],
    "LA": [6.0, 9.0, 26, 0.8, 6.5, 1.8, 0.4, 3.5, 1.4, 1.5, 8.5, 4.0, 8.0, 0.7, 3.0, 4.5, 0.6, 0.5, 2.5, 0.5, 5.5, 2.0],
}
# Source-capacity tilt: relative HCP strength by region and domain (EA strong in STEM, weak in HASS).
TILT_HASS = {"NA": 1.15, "EU": 1.05, "AU": 1.05, "EA": 0.55, "SG": 0.8, "SA": 0.6, "ME": 0.8, "LA": 0.8}
TILT_MED = {"NA": 1.15, "EU": 1.05, "AU": 1.0, "EA": 0.8, "SG": 0.9, "SA": 0.8, "ME": 0.9, "LA": 0.9}  # 31, 32, 42
MED = {"31", "32", "42"}

# Non-list cities: papers 2012-2021 (thousands) for the larger ones; the rest are drawn.
PAPERS_K = {
    "kyoto-osaka-kobe": 600, "xian": 420, "chengdu": 380, "taipei": 330, "san-diego": 320, "houston": 330,
    "moscow": 420, "madrid": 430, "barcelona": 380, "milan": 370, "rome": 340, "montreal": 340,
    "pittsburgh": 250, "minneapolis-saint-paul": 210, "st-louis": 200, "ann-arbor": 150, "vancouver": 270,
    "tianjin": 300, "changsha": 280, "hefei": 270, "chongqing": 260, "harbin": 250, "delhi": 250,
    "tel-aviv": 230, "vienna": 300, "manchester": 260, "sao-paulo": 420, "istanbul": 260, "lyon-grenoble": 240,
    "helsinki": 190, "brussels": 200, "heidelberg": 140, "geneva": 140, "lausanne": 130,
}
GROWTH = {"EA": (8.0, 15.0), "NA": (2.0, 5.5), "EU": (2.0, 5.5), "AU": (5.0, 7.5), "SG": (4.0, 6.0),
          "SA": (6.0, 11.0), "ME": (4.0, 9.0), "LA": (3.0, 7.0)}
RATIO = {"EA": (0.55, 0.85), "NA": (0.85, 1.3), "EU": (0.8, 1.25), "AU": (0.8, 1.0), "SG": (0.9, 1.1),
         "SA": (0.45, 0.75), "ME": (0.7, 1.1), "LA": (0.5, 0.8)}


def discipline_design(cities: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Per city: region, 10-year papers, mean HCP ratio (fraction), CAGR (fraction), list flags."""
    rows = []
    for c in cities.itertuples(index=False):
        reg = c.region
        if c.id in LIST:
            n, ratio, g, total = LIST[c.id]
            rows.append((c.id, reg, float(total), ratio / 100, g / 100, n))
            continue
        jp = c.country_iso3 == "JPN"
        size = PAPERS_K.get(c.id) or float(np.exp(rng.uniform(np.log(25), np.log(200))))
        glo, ghi = (0.5, 2.0) if jp else GROWTH[reg]
        rlo, rhi = RATIO[reg]
        if c.group == "mini":
            rlo, rhi = rlo + 0.15, rhi + 0.2
        rows.append((c.id, reg, size * 1000.0, rng.uniform(rlo, rhi) / 100, rng.uniform(glo, ghi) / 100, 0))
    return pd.DataFrame(rows, columns=["id", "region", "total", "ratio", "growth", "n_top10"]).set_index("id")


def discipline_profiles(design: pd.DataFrame, rng: np.random.Generator, sigma: float = 0.10) -> pd.DataFrame:
    prof = []
    for cid, reg in design["region"].items():
        base = np.asarray(PROFILE[reg], dtype=float)
        p = base * np.exp(rng.normal(0.0, sigma, len(base)))
        prof.append(p / p.sum())
    return pd.DataFrame(prof, index=design.index, columns=CODES)


def top10_membership(strength: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """0/1 matrix (list cities × disciplines) with the designed top-10 counts per city, 10 per
    discipline and the champions included, maximising the summed log strength (a MILP)."""
    ids = [c for c in LIST]
    n_c, n_d = len(ids), len(CODES)
    w = np.log(strength.loc[ids, CODES].to_numpy())
    cost = -w.ravel()
    a_rows = np.zeros((n_c, n_c * n_d))
    for i in range(n_c):
        a_rows[i, i * n_d:(i + 1) * n_d] = 1
    a_cols = np.zeros((n_d, n_c * n_d))
    for j in range(n_d):
        a_cols[j, j::n_d] = 1
    lb = np.zeros(n_c * n_d)
    for d, cid in CHAMPIONS.items():
        lb[ids.index(cid) * n_d + CODES.index(d)] = 1
    for cid in ids:
        if LIST[cid][0] == n_d:
            lb[ids.index(cid) * n_d:(ids.index(cid) + 1) * n_d] = 1
    counts = np.array([LIST[c][0] for c in ids], dtype=float)
    res = milp(cost, integrality=np.ones_like(cost), bounds=Bounds(lb, np.ones_like(cost)),
               constraints=[LinearConstraint(a_rows, counts, counts), LinearConstraint(a_cols, 10, 10)])
    assert res.success, res.message
    x = np.rint(res.x).reshape(n_c, n_d).astype(int)
    return pd.DataFrame(x, index=ids, columns=CODES)


def repair_ranks(h0: pd.DataFrame, member: pd.DataFrame) -> pd.DataFrame:
    """Integer HCP counts that put exactly the member cities in each discipline's top 10 and
    the designed champion first, moving as few values as possible (margins >= 2 % and 2)."""
    h = h0.round().astype(np.int64).clip(lower=0)
    for d in CODES:
        col = h[d].copy()
        mem = set(member.index[member[d] == 1])
        non = [c for c in col.index if c not in mem]
        lo_m = min(col[c] for c in mem)
        hi_n = max(col[c] for c in non)
        if lo_m <= max(hi_n * 1.02, hi_n + 2):
            thr = math.sqrt(max(lo_m, 1) * max(hi_n, 1))
            up = int(math.ceil(max(thr * 1.02, thr + 2)))
            down = int(math.floor(min(thr / 1.02, thr - 2)))
            low_members = sorted([c for c in mem if col[c] < up], key=lambda c: (col[c], c))
            for k, c in enumerate(low_members):
                col[c] = up + k * max(1, up // 200)
            high_non = sorted([c for c in non if col[c] > down], key=lambda c: (-col[c], c))
            for k, c in enumerate(high_non):
                col[c] = max(0, down - k * max(1, down // 200))
        champ = CHAMPIONS[d]
        best_other = max(col[c] for c in col.index if c != champ)
        if col[champ] < max(best_other * 1.02, best_other + 2):
            col[champ] = int(math.ceil(max(best_other * 1.03, best_other + 3)))
        h[d] = col
    return h


def build_disciplines(cities: pd.DataFrame, meta: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Papers and HCP per city × discipline × year (see FOCUS_DATA.md for the construction)."""
    design = discipline_design(cities, rng)
    prof = discipline_profiles(design, rng)
    ids = list(design.index)
    # Target shares are fixed; totals are rescaled below so that the final totals match the design.
    target_total = design["total"].copy()
    tilt = pd.DataFrame(1.0, index=ids, columns=CODES)
    domain = meta.set_index("code")["domain"]
    assert list(meta["code"]) == CODES
    for cid in ids:
        reg = design.at[cid, "region"]
        for d in CODES:
            if domain[d] == "HASS":
                tilt.at[cid, d] = TILT_HASS[reg]
            elif d in MED:
                tilt.at[cid, d] = TILT_MED[reg]
    noise = pd.DataFrame(np.exp(rng.normal(0.0, 0.12, (len(ids), len(CODES)))), index=ids, columns=CODES)
    noise = noise.div(noise.mean(axis=1), axis=0)
    totals = target_total.copy()
    for _ in range(4):  # fixed point: final totals = P0 * m, so scale P0 by 1/m
        p0 = prof.mul(totals, axis=0)
        h0 = p0.mul(design["ratio"], axis=0) * tilt * noise
        member = top10_membership(h0, design)
        h = repair_ranks(h0, member)
        m = (h / p0.mul(design["ratio"], axis=0)).mean(axis=1)
        totals = target_total / m
    p = p0.mul(m, axis=0)
    p_int = p.round().astype(np.int64)
    p_int = p_int.where(p_int >= h, h)
    p_int = p_int.clip(lower=1)
    # exact mean ratio: correct the largest cell of each city
    for cid in ids:
        target = design.at[cid, "ratio"]
        rat = h.loc[cid] / p_int.loc[cid]
        err = rat.mean() - target
        d = p_int.loc[cid].idxmax()
        new_r = h.at[cid, d] / p_int.at[cid, d] - err * len(CODES)
        if new_r > 0:
            p_int.at[cid, d] = max(int(round(h.at[cid, d] / new_r)), h.at[cid, d])
    # yearly split
    rows = []
    chinese = set(cities.loc[cities["country_iso3"] == "CHN", "id"])
    years = np.array(PAPER_YEARS)
    for cid in ids:
        g = design.at[cid, "growth"]
        base = (1.0 + g) ** (years - years[0])
        tau = 0.25 if cid in chinese else 0.0
        trend = 1.0 + tau * (years - years.mean()) / (years[-1] - years.mean())
        for d in CODES:
            nu = np.exp(rng.normal(0.0, 0.02, len(years)))
            nu[0] = nu[-1] = 1.0
            py = apportion(int(p_int.at[cid, d]), base * nu)
            hy = apportion(int(h.at[cid, d]), py * trend, caps=py)
            for y, a, b in zip(PAPER_YEARS, py, hy):
                rows.append((cid, d, y, int(a), int(b)))
    out = pd.DataFrame(rows, columns=["id", "discipline", "year", "papers", "hcp"])
    out["provenance"] = "imputed"
    return out


# =============================================================================================
# 2. AI patents
# =============================================================================================

# Totals per city. Published values are marked in PUBLISHED_TOTALS; the rest of these anchors are
# imputed values chosen to realise the stated ranks, orders, counts and ratio statements.
VALID = {
    "beijing": 26638, "greater-bay-area": 20207, "tokyo": 16587, "seoul": 9908, "san-francisco-san-jose": 9341,
    "shanghai": 8420, "hangzhou": 6870, "kyoto-osaka-kobe": 6260, "nanjing": 5480, "new-york": 5260,
    "chengdu": 4630, "wuhan": 4310, "xian": 3920, "suzhou": 3610, "hefei": 3380, "tianjin": 3170,
    "changsha": 2990, "jinan": 2810, "qingdao": 2650, "daejeon": 2560,
    "eindhoven": 2480, "taipei": 2400, "munich": 2380, "chongqing": 2300, "boston": 2250, "london": 2200,
    "san-diego": 2150, "seattle-tacoma-bellevue": 2100, "dallas-fort-worth": 1950, "paris": 1850,
    "los-angeles-long-beach-anaheim": 1700, "nagoya": 1600, "chicago-naperville-elgin": 1500, "stuttgart": 1500,
    "houston": 1400, "zurich": 1100, "stockholm": 880,
}
PCT = {
    "tokyo": 4222, "greater-bay-area": 2769, "beijing": 1608, "san-francisco-san-jose": 1410,
    "kyoto-osaka-kobe": 1340, "new-york": 980, "seoul": 900, "san-diego": 430, "shanghai": 415,
    "dallas-fort-worth": 380, "paris": 330, "eindhoven": 320, "munich": 300, "stockholm": 290, "boston": 280,
    "london": 265, "hangzhou": 250, "houston": 235, "stuttgart": 220, "daejeon": 205,
}
TRIADIC = {
    "tokyo": 3650, "san-francisco-san-jose": 2240, "beijing": 1900, "kyoto-osaka-kobe": 1800,
    "greater-bay-area": 1450, "dallas-fort-worth": 900, "eindhoven": 860, "new-york": 760, "san-diego": 520,
    "paris": 500, "seoul": 470, "munich": 440, "boston": 420, "london": 380, "nagoya": 350,
    "seattle-tacoma-bellevue": 330, "taipei": 300, "chicago-naperville-elgin": 270,
    "los-angeles-long-beach-anaheim": 250, "zurich": 230,
}
HQ = {
    "tokyo": 10688, "greater-bay-area": 9137, "san-francisco-san-jose": 5037, "seoul": 4480, "beijing": 4260,
    "new-york": 3390, "kyoto-osaka-kobe": 3270, "eindhoven": 2990, "munich": 2710, "san-diego": 2480,
    "houston": 2270, "paris": 2120, "boston": 1980, "london": 1850, "shanghai": 1720, "stockholm": 1610,
    "stuttgart": 1520, "seattle-tacoma-bellevue": 1450, "nagoya": 1390, "hangzhou": 1330,
    "dallas-fort-worth": 1290, "taipei": 1150, "chicago-naperville-elgin": 1100, "daejeon": 1050,
    "los-angeles-long-beach-anaheim": 1000, "zurich": 950,
}
PUBLISHED_TOTALS = {
    ("beijing", "valid"): 26638, ("greater-bay-area", "valid"): 20207, ("tokyo", "valid"): 16587,
    ("seoul", "valid"): 9908, ("san-francisco-san-jose", "valid"): 9341,
    ("tokyo", "hq"): 10688, ("greater-bay-area", "hq"): 9137, ("san-francisco-san-jose", "hq"): 5037,
    ("tokyo", "pct"): 4222, ("greater-bay-area", "pct"): 2769, ("beijing", "pct"): 1608,
}

# Applicants named in the text, with their valid invention patents ("有效发明专利存量 ... 件，下同").
APPLICANTS = [
    ("tokyo", "索尼", "Sony", 1746), ("tokyo", "日本电气股份有限公司", "NEC Corporation", 1089),
    ("tokyo", "日本移动通信运营商", "NTT Docomo", 839), ("tokyo", "富士通集团", "Fujitsu", 579),
    ("greater-bay-area", "华为", "Huawei", 2267), ("greater-bay-area", "平安集团", "Ping An Group", 2145),
    ("greater-bay-area", "腾讯", "Tencent", 985), ("greater-bay-area", "中兴", "ZTE", 369),
    ("greater-bay-area", "OPPO", "OPPO", 368),
    ("beijing", "百度", "Baidu", 380), ("beijing", "京东方", "BOE Technology", 228), ("beijing", "小米", "Xiaomi", 157),
    ("beijing", "京东", "JD.com", 136), ("beijing", "华为", "Huawei", 121), ("beijing", "西门子", "Siemens", 71),
    ("beijing", "清华大学", "Tsinghua University", 168), ("beijing", "北京大学", "Peking University", 61),
    ("san-francisco-san-jose", "谷歌", "Google", 2496), ("san-francisco-san-jose", "英特尔", "Intel", 942),
    ("san-francisco-san-jose", "加州大学", "University of California", 387),
    ("kyoto-osaka-kobe", "松下公司", "Panasonic", 869), ("kyoto-osaka-kobe", "欧姆龙集团", "Omron", 569),
    ("seoul", "三星集团", "Samsung Group", 2131), ("seoul", "LG集团", "LG Group", 890),
    ("new-york", "IBM公司", "IBM", 1369), ("san-diego", "高通公司", "Qualcomm", 1250),
    ("eindhoven", "飞利浦", "Philips", 2017), ("munich", "西门子", "Siemens", 1506),
]

# Appendix 9 search totals and the IPC top-30 table (counts as printed).
UNIVERSE = [("ai_patents", 408937, "AI patents published 1970-2022 found by the search (Appendix 9)"),
            ("hq_patents", 118764, "of which PCT and triadic patents (Appendix 9; denominator of the IPC shares)")]
IPC_TABLE = {
    "G06N-0003": 29514, "G06K-0009": 22282, "G06F-0017": 21482, "G06N-0020": 17913, "G06T-0007": 13133,
    "G06N-0005": 11756, "G06F-0016": 9926, "G06F-0003": 9504, "G05B-0013": 8847, "G06Q-0010": 8422,
    "G06F-0015": 8216, "G06F-0019": 7648, "G10L-0015": 7607, "G06Q-0050": 7269, "G06F-0009": 7122,
    "H04L-0029": 6367, "A61B-0005": 6239, "G06Q-0030": 5410, "H04L-0012": 5225, "G05B-0019": 5110,
    "G06F-0040": 4883, "G06N-0099": 4790, "G16H-0050": 4592, "G01N-0033": 4578, "G06F-0021": 4439,
    "G06V-0010": 4365, "G06N-0007": 4126, "B25J-0009": 3708, "H04N-0005": 3637, "G06F-0007": 3611,
}
IPC_SHARES = [24.85, 18.76, 18.09, 15.08, 11.06, 9.90, 8.36, 8.00, 7.45, 7.09, 6.92, 6.44, 6.41, 6.12, 6.00,
              5.36, 5.25, 4.56, 4.40, 4.30, 4.11, 4.03, 3.87, 3.85, 3.74, 3.68, 3.47, 3.12, 3.06, 3.04]

# Groups for imputed shapes
def patent_group(country: str, cid: str) -> str:
    if cid == "taipei":
        return "TW"
    return {"CHN": "CN", "KOR": "KR", "JPN": "JP", "USA": "US", "CAN": "US"}.get(
        country, "EU" if REGION.get(country) == "EU" else "OT")


# PCT and triadic shares of valid patents for the imputed cities
RATES = {"CN": ((0.02, 0.06), (0.005, 0.03)), "TW": ((0.02, 0.05), (0.05, 0.12)), "KR": ((0.05, 0.10), (0.03, 0.06)),
         "JP": ((0.10, 0.20), (0.12, 0.22)), "US": ((0.06, 0.14), (0.08, 0.18)), "EU": ((0.08, 0.16), (0.08, 0.18)),
         "OT": ((0.03, 0.10), (0.02, 0.08))}

# yearly growth (2003-2011, 2012-2020, 2021-2022) of valid flows; extra-HQ growth
SHAPE = {"CN": (0.30, 0.40, 0.85), "TW": (0.12, 0.20, 0.55), "KR": (0.14, 0.26, 0.70), "JP": (0.03, 0.09, 0.40),
         "US": (0.09, 0.22, 0.65), "EU": (0.07, 0.18, 0.60), "OT": (0.10, 0.28, 0.65)}
LATE_CAP = 0.91  # anchored cities grow less than GBA (92.4 %) after 2020
HQ_RATE = {"CN": 0.30, "TW": 0.12, "KR": 0.15, "JP": 0.10, "US": 0.12, "EU": 0.08, "OT": 0.12}

CAGR_12_20, CAGR_20_22 = 0.325, 0.759
BEIJING_20_22, GBA_20_22 = 0.77, 0.924
FILLER = "chengdu"  # absorbs the integer rounding of the aggregate growth rates


def patent_totals(cities: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """City totals of valid, PCT, triadic and HQ patents: anchors, else drawn below the top-20 bars."""
    rows = []
    for c in cities.itertuples(index=False):
        grp = patent_group(c.country_iso3, c.id)
        if c.id in VALID:
            v = VALID[c.id]
        elif grp == "CN":
            v = int(rng.uniform(700, 2200))
        elif grp == "US":
            v = int(rng.uniform(150, 1300))
        elif grp == "EU":
            v = int(rng.uniform(80, 900))
        elif grp in ("KR", "JP"):
            v = int(rng.uniform(500, 1200))
        else:
            v = int(rng.uniform(30, 700))
        if c.group == "mini" and c.id not in VALID:
            v = int(rng.uniform(40, 500))
        prate, trate = RATES[grp]
        p = PCT.get(c.id, min(int(round(v * rng.uniform(*prate))), int(rng.uniform(110, 195))))
        t = TRIADIC.get(c.id, min(int(round(v * rng.uniform(*trate))), int(rng.uniform(120, 220))))
        h = HQ.get(c.id, min(int(round((p + t) * rng.uniform(1.3, 2.6))), int(rng.uniform(700, 940))))
        if h < p + t:
            p, t = int(p * h / (p + t)), int(t * h / (p + t))
        rows.append((c.id, grp, v, p, t, max(h, p + t)))
    return pd.DataFrame(rows, columns=["id", "grp", "valid", "pct", "triadic", "hq"]).set_index("id")


def _soft_cap(x: float, cap: float) -> float:
    """x saturating smoothly towards ``cap`` (p-norm with p = 4); x itself when cap is infinite."""
    return x if not np.isfinite(cap) else x / (1.0 + (x / cap) ** 4) ** 0.25


def _shape(r: tuple[float, float, float], k2: float = 1.0, k3: float = 1.0, cap: float = np.inf) -> np.ndarray:
    f = [1.0]
    for y in PATENT_YEARS[1:]:
        rate = r[0] if y <= 2011 else (r[1] * k2 if y <= 2020 else _soft_cap(r[2] * k3, cap))
        f.append(f[-1] * (1.0 + rate))
    return np.array(f)


def _explicit(early_last: float, n_early: int, late: list[float], total: int) -> np.ndarray:
    """Geometric early years ending at ``early_last`` (first value solved for ``total``) + late years."""
    target = total - sum(late)

    def s(first):
        r = (early_last / first) ** (1.0 / (n_early - 1))
        return (geo(first, r - 1.0, n_early)).sum() - target

    first = brentq(s, 1e-3, early_last)
    r = (early_last / first) ** (1.0 / (n_early - 1))
    return np.concatenate([geo(first, r - 1.0, n_early), np.asarray(late, dtype=float)])


def key_valid_flows() -> dict[str, np.ndarray]:
    """Tokyo, Beijing and GBA flows built by hand around the stated overtaking years and rates."""
    tokyo = _explicit(850, 15, [1000, 1250, 1600, 2600, 3900], VALID["tokyo"])
    # Beijing: below Tokyo until 2017, above from 2018; 2020->2022 CAGR 77 %.
    bj_early = geo(60.0, (800 / 60) ** (1 / 14) - 1, 15)
    rest = VALID["beijing"] - bj_early.sum() - 1250 - 1800
    b = rest / (1 + (1 + BEIJING_20_22) + (1 + BEIJING_20_22) ** 2)
    beijing = np.concatenate([bj_early, [1250, 1800, b, b * (1 + BEIJING_20_22), b * (1 + BEIJING_20_22) ** 2]])
    # GBA: below Tokyo until 2019, above from 2020; 2020->2022 CAGR 92.4 %.
    gba_early = geo(30.0, (1150 / 30) ** (1 / 16) - 1, 17)
    g = (VALID["greater-bay-area"] - gba_early.sum()) / (1 + (1 + GBA_20_22) + (1 + GBA_20_22) ** 2)
    gba = np.concatenate([gba_early, [g, g * (1 + GBA_20_22), g * (1 + GBA_20_22) ** 2]])
    return {"tokyo": tokyo, "beijing": beijing, "greater-bay-area": gba}


def _int_flows(total: int, f: np.ndarray, keep_last: int = 0) -> np.ndarray:
    """Integer flows summing to ``total``; the last ``keep_last`` years are rounded directly (so that
    their ratios stay exact) and the rounding difference goes to the earlier years."""
    if keep_last:
        late = np.rint(f[-keep_last:]).astype(np.int64)
        early = apportion(total - int(late.sum()), f[:-keep_last])
        return np.concatenate([early, late])
    return apportion(total, f)


def valid_flows(tot: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    key = key_valid_flows()
    params = {}
    for cid, grp in tot["grp"].items():
        if cid in key:
            continue
        base = SHAPE[grp]
        params[cid] = (base[0] * rng.uniform(0.9, 1.1), base[1] * rng.uniform(0.9, 1.1), base[2] * rng.uniform(0.9, 1.1))

    caps = {cid: LATE_CAP for cid in params}

    def aggregate(k2, k3):
        a = sum(v for v in key.values())
        for cid, r in params.items():
            f = _shape(r, k2, k3, caps[cid])
            a = a + tot.at[cid, "valid"] * f / f.sum()
        return a

    i12, i20, i22 = (PATENT_YEARS.index(y) for y in (2012, 2020, 2022))
    t1, t2 = (1 + CAGR_12_20) ** 8, (1 + CAGR_20_22) ** 2
    k2, k3 = 1.0, 1.0
    for _ in range(60):
        k2 = brentq(lambda k: aggregate(k, k3)[i20] / aggregate(k, k3)[i12] - t1, 0.05, 6.0)
        k3 = brentq(lambda k: aggregate(k2, k)[i22] / aggregate(k2, k)[i20] - t2, 0.01, 8.0)
    flows = {}
    for cid in tot.index:
        if cid in key:
            flows[cid] = _int_flows(int(tot.at[cid, "valid"]), key[cid], keep_last=3)
        else:
            f = _shape(params[cid], k2, k3, caps[cid])
            flows[cid] = apportion(int(tot.at[cid, "valid"]), f)
    # exact aggregate growth: move a few patents of the filler city between 2016 and 2012/2022
    agg = sum(flows.values()).astype(float)
    want12 = agg[i20] / t1
    d12 = int(round(want12 - agg[i12]))
    want22 = agg[i20] * t2
    d22 = int(round(want22 - agg[i22]))
    i16 = PATENT_YEARS.index(2016)
    f = flows[FILLER].copy()
    f[i12] += d12
    f[i22] += d22
    f[i16] -= d12 + d22
    assert (f >= 0).all(), f
    flows[FILLER] = f
    return pd.DataFrame(flows, index=PATENT_YEARS).T.loc[tot.index]


def key_hq_flows() -> dict[str, np.ndarray]:
    """Tokyo leads high-quality patents every year to 2020; GBA overtakes in 2021 and 2022."""
    tokyo = _explicit(1010, 18, [1450, 2100], HQ["tokyo"])
    gba_early = geo(20.0, (980 / 20) ** (1 / 17) - 1, 18)
    gba = np.concatenate([gba_early, [1600, HQ["greater-bay-area"] - gba_early.sum() - 1600]])
    return {"tokyo": tokyo, "greater-bay-area": gba}


def patents_by_year(tot: pd.DataFrame, valid: pd.DataFrame) -> pd.DataFrame:
    key = key_hq_flows()
    rows = []
    for cid in tot.index:
        v = valid.loc[cid].to_numpy()
        p = apportion(int(tot.at[cid, "pct"]), v, caps=v)
        t = apportion(int(tot.at[cid, "triadic"]), v, caps=v)
        if cid in key:
            h = apportion(int(tot.at[cid, "hq"]), key[cid], caps=None)
            extra = h - p - t
            assert (extra >= 0).all(), (cid, extra)
        else:
            rate = HQ_RATE[tot.at[cid, "grp"]]
            extra = apportion(int(tot.at[cid, "hq"] - tot.at[cid, "pct"] - tot.at[cid, "triadic"]),
                              geo(1.0, rate, len(PATENT_YEARS)))
            h = p + t + extra
        for y, a, b, c, d in zip(PATENT_YEARS, v, p, t, h):
            rows.append((cid, y, int(a), int(b), int(c), int(d)))
    out = pd.DataFrame(rows, columns=["id", "year", "valid", "pct", "triadic", "hq"])
    out["provenance"] = "imputed"
    return out


# --- hot fields (IPC) -------------------------------------------------------------------------

# Multipliers on the universe IPC mix for the 14 cities of Figure 26 (the cities in the top 20
# of both PCT and triadic patents), chosen to realise the Figure 26 statements.
IPC_TILT = {
    "tokyo": {"G06F-0017": 1.3, "G06N-0005": 1.25, "G06N-0007": 1.3, "G06N-0020": 1.1, "G06N-0099": 1.2,
              "G06F-0003": 1.5, "G05B-0013": 1.7, "G05B-0019": 1.7, "G06F-0009": 1.4, "B25J-0009": 1.6,
              "H04L-0029": 1.5, "H04L-0012": 1.5, "G06T-0007": 1.35, "G10L-0015": 1.35, "H04N-0005": 2.0,
              "G06N-0003": 0.65, "G06K-0009": 0.8, "G06F-0016": 0.8, "G06Q-0050": 0.55, "G06V-0010": 0.7,
              "G16H-0050": 0.8, "G06F-0040": 0.9},
    "san-francisco-san-jose": {"G06N-0020": 1.9, "G06N-0005": 1.6, "G06N-0007": 1.6, "G06N-0099": 1.6,
              "G06F-0017": 1.45, "G06F-0040": 1.7, "H04L-0029": 1.7, "H04L-0012": 1.7, "G06F-0016": 1.1,
              "G16H-0050": 1.5, "A61B-0005": 1.3, "G06F-0019": 1.4, "G06F-0015": 1.3, "G06F-0021": 1.3,
              "G06K-0009": 0.9, "G05B-0013": 0.75, "G05B-0019": 0.75, "B25J-0009": 1.1, "H04N-0005": 0.9,
              "G06N-0003": 1.45, "G06Q-0050": 0.9, "G06T-0007": 1.0, "G10L-0015": 2.0, "G06V-0010": 1.0, "G01N-0033": 1.3,
              "G06Q-0030": 1.25},
    "greater-bay-area": {"G06N-0003": 1.6, "G06K-0009": 1.55, "G06F-0016": 1.55, "G06V-0010": 1.7,
              "G06Q-0050": 1.6, "G06F-0040": 1.35, "G06N-0020": 1.35, "H04L-0029": 1.4, "H04L-0012": 1.4, "G10L-0015": 0.7,
              "G06T-0007": 1.0, "G05B-0013": 0.5, "G05B-0019": 0.5, "B25J-0009": 0.5, "A61B-0005": 0.45,
              "G16H-0050": 0.6, "G01N-0033": 0.35, "G06F-0019": 0.6, "G06F-0017": 0.7, "H04N-0005": 0.7,
              "G06N-0005": 0.8, "G06N-0007": 0.7},
    "beijing": {"G06N-0003": 1.3, "G06K-0009": 1.6, "G06T-0007": 1.5, "G06F-0016": 1.6, "G10L-0015": 1.5,
              "G06F-0040": 1.45, "G06N-0020": 1.25, "G06Q-0050": 1.9, "G06V-0010": 1.4, "G06Q-0010": 1.1,
              "G05B-0013": 0.55, "G05B-0019": 0.5, "B25J-0009": 0.5, "G06F-0003": 0.6, "G06F-0009": 0.6,
              "H04L-0029": 0.6, "H04L-0012": 0.6, "A61B-0005": 0.5, "G16H-0050": 0.6, "G01N-0033": 0.5,
              "G06F-0019": 0.6, "H04N-0005": 0.8},
    "seoul": {"G06N-0003": 1.15, "G01N-0033": 0.8, "G06N-0020": 1.3, "G06F-0040": 1.3, "G06K-0009": 1.35, "G06T-0007": 1.45,
              "G06F-0016": 1.35, "G10L-0015": 1.7, "H04N-0005": 1.3, "G06Q-0050": 0.7, "G06Q-0010": 0.7,
              "G05B-0013": 0.6, "G05B-0019": 0.6, "H04L-0029": 0.8, "H04L-0012": 0.7, "G06F-0003": 0.7,
              "G06F-0009": 0.7},
    "kyoto-osaka-kobe": {"G06F-0003": 1.9, "G05B-0013": 2.0, "G05B-0019": 2.0, "B25J-0009": 2.0,
              "G06F-0009": 1.5, "G01N-0033": 1.5, "H04N-0005": 1.5, "G06N-0003": 0.6, "G06N-0020": 0.7, "G06F-0040": 0.5,
              "G06K-0009": 0.8, "G06F-0016": 0.7, "G06Q-0050": 0.7, "H04L-0029": 0.7, "H04L-0012": 0.7, "G06V-0010": 0.8},
    "new-york": {"H04L-0029": 1.8, "H04L-0012": 1.8, "G06F-0003": 1.3, "G06F-0009": 1.3, "G06N-0020": 0.7, "G06Q-0010": 1.3, "G06Q-0030": 1.4,
              "G06Q-0050": 1.2, "G06N-0005": 1.3, "G06F-0017": 1.2, "G06F-0021": 1.3, "G06F-0040": 1.2,
              "G05B-0013": 0.5, "G05B-0019": 0.5, "B25J-0009": 0.4, "H04N-0005": 0.6, "G06K-0009": 0.8,
              "G06V-0010": 0.8, "G06T-0007": 0.8, "G10L-0015": 0.8},
    "eindhoven": {"G06F-0019": 2.6, "G16H-0050": 3.2, "A61B-0005": 3.6, "G01N-0033": 1.6, "G06T-0007": 1.3,
              "G06Q-0050": 0.5, "G06F-0016": 0.5, "G06N-0003": 0.5, "G06N-0020": 0.7, "G06F-0040": 0.5,
              "H04L-0029": 0.6, "H04L-0012": 0.6},
    "munich": {"G05B-0013": 1.6, "G05B-0019": 1.6, "B25J-0009": 1.4, "G06N-0020": 0.7,
              "A61B-0005": 1.5, "G01N-0033": 1.5, "G06F-0019": 1.3, "G06F-0040": 0.6, "G06Q-0050": 0.8},
    "san-diego": {"H04L-0029": 1.5, "H04L-0012": 1.4, "A61B-0005": 1.5, "G16H-0050": 1.5, "G01N-0033": 1.8,
              "G10L-0015": 1.2, "G05B-0013": 0.6, "G05B-0019": 0.6, "G06N-0020": 0.7},
    "dallas-fort-worth": {"H04L-0029": 1.5, "H04L-0012": 1.5, "G06F-0017": 1.3, "G06F-0015": 1.5,
              "G06F-0007": 1.5, "G06N-0020": 0.7},
    "paris": {"G06Q-0010": 1.1, "A61B-0005": 1.2, "G06F-0021": 1.2, "G06N-0020": 0.7},
    "boston": {"A61B-0005": 1.5, "G16H-0050": 1.8, "G01N-0033": 1.8, "G06N-0020": 0.7, "G05B-0013": 0.7},
    "london": {"G06Q-0010": 1.3, "G06Q-0030": 1.3, "G06F-0040": 1.2, "G16H-0050": 1.3, "G06N-0020": 0.75,
               "G05B-0013": 0.7, "B25J-0009": 0.6},
}
IPC_REGION_TILT = {  # for the other cities
    "CN": {"G06N-0003": 1.4, "G06K-0009": 1.4, "G06T-0007": 1.3, "G06F-0016": 1.3, "G06Q-0050": 1.4,
           "G05B-0013": 0.7, "A61B-0005": 0.6, "G16H-0050": 0.6},
    "JP": {"G05B-0013": 1.6, "G05B-0019": 1.6, "B25J-0009": 1.6, "G06F-0003": 1.3, "G06N-0003": 0.7},
    "US": {"G06N-0020": 1.3, "G06N-0005": 1.2, "G16H-0050": 1.3, "A61B-0005": 1.2, "H04L-0029": 1.2},
    "EU": {"A61B-0005": 1.3, "G05B-0013": 1.3, "G01N-0033": 1.3},
    "KR": {"G10L-0015": 1.3, "H04N-0005": 1.3}, "TW": {"G06F-0003": 1.3, "H04N-0005": 1.3}, "OT": {},
}
IPC_PER_PATENT = 2.0   # top-30 IPC groups carried per high-quality patent in the cities (universe: ~2.2)


def ipc_by_city(tot: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    codes = list(IPC_TABLE)
    u = np.array([IPC_TABLE[c] for c in codes], dtype=float)
    u /= u.sum()
    rows = {}
    for cid in tot.index:
        tilt = IPC_TILT.get(cid) or IPC_REGION_TILT[tot.at[cid, "grp"]]
        m = np.array([tilt.get(c, 1.0) for c in codes])
        noise = 1.0 if cid in IPC_TILT else np.exp(rng.normal(0.0, 0.15, len(codes)))
        w = u * m * noise
        w /= w.sum()
        rows[cid] = np.rint(IPC_PER_PATENT * tot.at[cid, "hq"] * w).astype(np.int64)
    mat = pd.DataFrame(rows, index=codes).T
    # the cities together cannot exceed the universe: scale the other cities down where needed
    key = [c for c in IPC_TILT]
    for c in codes:
        room = int(0.95 * IPC_TABLE[c]) - int(mat.loc[key, c].sum())
        others = mat.index.difference(key)
        have = int(mat.loc[others, c].sum())
        if have > room:
            mat.loc[others, c] = np.floor(mat.loc[others, c] * room / have).astype(np.int64)
    long = mat.stack().rename("hq_patents").reset_index()
    long.columns = ["id", "ipc", "hq_patents"]
    long = long[long["hq_patents"] > 0].copy()
    long["provenance"] = "imputed"
    return long


# Figure 25: yearly growth of each group before and after 2016 (universe).
IPC_TREND = {"G06F-0017": (0.05, 0.06), "G06N-0003": (0.10, 0.62), "G06K-0009": (0.10, 0.48),
             "G06N-0020": (0.08, 0.58), "G06T-0007": (0.09, 0.44), "G06F-0016": (0.09, 0.42)}


def ipc_universe_by_year(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    yrs = np.array(PATENT_YEARS)
    for c, total in IPC_TABLE.items():
        before, after = IPC_TREND.get(c, (rng.uniform(0.06, 0.10), rng.uniform(0.12, 0.30)))
        f = np.where(yrs <= 2016, (1 + before) ** (yrs - 2003), (1 + before) ** 13 * (1 + after) ** (yrs - 2016))
        for y, v in zip(PATENT_YEARS, apportion(total, f)):
            rows.append((c, y, int(v)))
    out = pd.DataFrame(rows, columns=["ipc", "year", "hq_patents"])
    out["provenance"] = "imputed"
    return out


def build_ai(cities: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """All AI-patent tables, keyed by file stem."""
    tot = patent_totals(cities, rng)
    valid = valid_flows(tot, rng)
    pby = patents_by_year(tot, valid)
    ipc = ipc_by_city(tot, rng)
    uni = pd.DataFrame({"ipc": list(IPC_TABLE), "hq_patents": list(IPC_TABLE.values()), "provenance": "published"})
    universe = pd.DataFrame(UNIVERSE, columns=["measure", "value", "note"])
    universe["provenance"] = "published"
    applicants = pd.DataFrame(APPLICANTS, columns=["id", "applicant_zh", "applicant_en", "valid_patents"])
    applicants["provenance"] = "published"
    return {
        "patents_by_year": pby,
        "ipc": ipc,
        "ipc_universe": uni,
        "ipc_by_year": ipc_universe_by_year(rng),
        "universe": universe[["measure", "value", "provenance", "note"]],
        "applicants": applicants[["id", "applicant_zh", "applicant_en", "valid_patents", "provenance"]],
    }


# =============================================================================================
# 3. Self-check: every stated fact, computed with the gihi analytics
# =============================================================================================


class Checks:
    def __init__(self):
        self.failed: list[str] = []
        self.n = 0

    def __call__(self, ok, what: str, detail=""):
        self.n += 1
        if not bool(ok):
            self.failed.append(f"{what}: {detail}")


TOP10_LIST = ["san-francisco-san-jose", "boston", "new-york", "london", "baltimore-washington", "beijing",
              "greater-bay-area", "oxford", "chicago-naperville-elgin", "los-angeles-long-beach-anaheim"]
SUPERSTARS = TOP10_LIST[:6]
EMERGING = ["greater-bay-area", "nanjing", "wuhan", "hangzhou", "shanghai", "beijing", "melbourne", "sydney", "brisbane"]
PAPERS_TOP11 = ["beijing", "new-york", "baltimore-washington", "tokyo", "london", "boston", "greater-bay-area",
                "seoul", "shanghai", "paris", "san-francisco-san-jose"]
NA_WE = {"USA", "CAN", "GBR", "DEU", "FRA", "CHE", "NLD", "SWE", "DNK"}
WE = {"GBR", "DEU", "FRA", "CHE", "NLD", "SWE", "DNK"}
EA = {"CHN", "JPN", "KOR"}


def check_disciplines(papers: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, ck: Checks) -> None:
    ids = list(cities["id"])
    country = cities.set_index("id")["country_iso3"]
    tot = dm.city_discipline_totals(papers, ids=ids, disciplines=list(meta["code"]))
    sc = dm.discipline_scores(tot)
    mr = dm.mean_hcp_ratio(tot)
    lst = dm.source_list(sc, mr)
    n = lst.set_index("id")["n_top10"]
    ck(len(lst) == 33, "33 discipline-source cities", len(lst))
    cc = lst["id"].map(country).value_counts()
    ck((cc.get("USA"), cc.get("CHN"), cc.get("GBR"), cc.get("AUS"), cc.get("DEU")) == (10, 6, 3, 3, 2),
       "country counts US 10, CN 6, UK 3, AU 3, DE 2", cc.to_dict())
    rest = cc.drop(["USA", "CHN", "GBR", "AUS", "DEU"], errors="ignore")
    ck(len(rest) == 9 and (rest == 1).all(), "9 other countries with 1 city each", rest.to_dict())
    reg = lst["id"].map(country)
    for name, members in (("North America", {"USA", "CAN"}), ("Western Europe", WE), ("East Asia", EA)):
        k = int(reg.isin(members).sum())
        ck(8 <= k <= 12, f"about 10 list cities in {name}", k)
    ck(list(lst["id"].head(10)) == TOP10_LIST and list(lst["rank"].head(10)) == list(range(1, 11)),
       "list top-10 order", list(lst["id"].head(10)))
    ck(dm.superstars(lst) == SUPERSTARS, "six super-star cities", dm.superstars(lst))
    ck(n["san-francisco-san-jose"] == n["boston"] == n["new-york"] == 22 and n["london"] == 19 and n["beijing"] == 15,
       "top-10 counts SF/Boston/NY 22, London 19, Beijing 15", n.head(6).to_dict())
    ck(sum(country[c] == "USA" for c in SUPERSTARS) == 4, "4 US super-star cities")
    ck(n.drop(SUPERSTARS).max() <= 10, "other 27 cities far behind (<= 10 top-10 disciplines)", n.drop(SUPERSTARS).max())
    ck(n.min() >= 1 and n.max() <= 22, "bubble size range 1-22")
    champ = dm.champion_counts(sc)
    want = {"new-york": 8, "beijing": 7, "boston": 3, "london": 3, "greater-bay-area": 1}
    ck(champ[champ > 0].to_dict() == want, "champion counts", champ[champ > 0].to_dict())
    ch = dm.champions(sc).merge(meta, left_on="discipline", right_on="code")
    ny = ch[ch["id"] == "new-york"]
    ck(set(ny.loc[ny["domain"] == "STEM", "discipline"]) == {"49", "51", "32"} and (ny["domain"] == "HASS").sum() == 5,
       "NY champions: math, physics, biomedical + 5 HASS", list(ny["discipline"]))
    bj = ch[ch["id"] == "beijing"]
    ck(set(bj.loc[bj["domain"] == "HASS", "discipline"]) == {"33"} and (bj["domain"] == "STEM").sum() == 6,
       "Beijing champions: built environment + 6 STEM", list(bj["discipline"]))
    pct = (lst.set_index("id")["mean_hcp_ratio"] * 100)
    for cid, v, r in (("san-francisco-san-jose", 1.75, 1), ("oxford", 1.64, 2), ("boston", 1.60, 3)):
        ck(r2(pct[cid]) == v, f"mean HCP ratio {cid} {v}%", pct[cid])
        ck(int(pct.rank(ascending=False, method="min")[cid]) == r, f"mean HCP ratio rank {cid} {r}")
    nawe = pct[[country[c] in NA_WE for c in pct.index]]
    low = int((nawe < 0.95).sum())
    ck(1 <= low <= 2, "NA/WE cities near or above 1% except a few", nawe.sort_values().head(3).to_dict())
    ea = pct[[country[c] in EA for c in pct.index]]
    high = int((ea >= 1.0).sum())
    ck(1 <= high <= 2, "East Asian cities below 1% except a few", ea.sort_values().tail(3).to_dict())
    growth = dm.paper_cagr(papers, 2012, 2021)
    em = dm.emerging_cities(lst, growth)
    ck(list(em["id"]) == EMERGING, "nine emerging cities in order", list(em["id"]))
    g33 = lst["id"].map(growth) * 100
    ck(r1(g33.mean()) == 6.1, "list mean CAGR 6.1%", g33.mean())
    gi = growth[EMERGING] * 100
    ck((gi[:6] > 10).all() and (gi[6:].map(lambda x: round(x)) == 8).all(), "CN six > 10%, AU three about 8%", gi.round(2).to_dict())
    top9 = list(lst.assign(g=g33).sort_values("g", ascending=False, kind="mergesort")["id"].head(9))
    ck(top9 == EMERGING, "the nine are the nine fastest-growing list cities", top9)
    ck((em["mean_hcp_ratio"] < 0.01).all(), "emerging cities below 1%")
    mature = lst.loc[lst["mean_hcp_ratio"] >= 0.01, "id"]
    ck((growth[mature] * 100 < g33.mean()).all(), "mature cities (>= 1%) grow more slowly than the mean")
    yearly_h = papers.groupby(["id", "year"])["hcp"].sum()
    ck(all(yearly_h[(c, 2021)] > yearly_h[(c, 2012)] for c in EMERGING), "emerging cities' HCP growing")
    totals = tot.groupby("id")["papers"].sum()
    in_list = totals[list(lst["id"])].sort_values(ascending=False, kind="mergesort")
    ck(list(in_list.index[:11]) == PAPERS_TOP11, "10-year papers: top 10 and SF 11th (list)", list(in_list.index[:11]))
    all119 = totals.sort_values(ascending=False, kind="mergesort")
    ck(list(all119.index[:11]) == PAPERS_TOP11, "10-year papers: top 10 and SF 11th (all cities)", list(all119.index[:11]))
    ck(sum(c in SUPERSTARS for c in PAPERS_TOP11[:10]) == 5, "5 super-stars in the papers top 10")
    shares = dm.discipline_shares(tot, ids=list(lst["id"]))
    cl = dm.cluster_profiles(shares)
    for k in (2, 3):
        lab = cl.labels(k)
        by_country = lab.groupby(lab.index.map(country)).nunique()
        ck((by_country == 1).all(), f"k={k}: each country's cities in one cluster", by_country.to_dict())
        ea_lab = set(lab[[country[c] in EA for c in lab.index]])
        other = set(lab[[country[c] in NA_WE for c in lab.index]])
        ck(len(ea_lab) == 1 and not (ea_lab & other), f"k={k}: East Asian cluster separate", (ea_lab, other))
    lab3 = cl.labels(3)
    us, we = lab3[[country[c] == "USA" for c in lab3.index]], lab3[[country[c] in WE for c in lab3.index]]
    ck(len(set(us)) == 1 and len(set(we)) == 1 and set(us) != set(we), "k=3: US and Western Europe apart")
    ck(sorted(cl.leaf_order) == sorted(lst["id"]), "leaf order covers the list")
    hass = list(meta.loc[meta["domain"] == "HASS", "code"])
    sh = shares.copy()
    sh["HASS"] = sh[hass].sum(axis=1)
    grp = sh.index.map(country)
    m_ea, m_nawe = sh[grp.isin(EA)].mean(), sh[grp.isin(NA_WE)].mean()
    m_we, m_us = sh[grp.isin(WE)].mean(), sh[grp == "USA"].mean()
    for d in ("40", "46", "34"):
        ck(m_ea[d] > m_nawe[d], f"EA share of {d} higher than NA/WE")
    for d in ("32", "31", "HASS"):
        ck(m_nawe[d] > m_ea[d], f"NA/WE share of {d} higher than EA")
    for d in ("49", "51", "34"):
        ck(m_we[d] > m_us[d], f"WE share of {d} higher than US")
    t10 = sc[sc["rank"] <= 10].merge(meta, left_on="discipline", right_on="code")
    t10["c"] = t10["id"].map(country)
    hass_slots = t10[t10["domain"] == "HASS"]
    ck(hass_slots["c"].isin(NA_WE | {"AUS"}).mean() >= 0.8, "HASS top-10 slots mostly NA/WE", hass_slots["c"].isin(NA_WE).mean())
    ea_slots = t10[t10["c"].isin(EA)]
    ck((ea_slots["domain"] == "STEM").mean() >= 0.75, "EA top-10 slots mostly STEM", (ea_slots["domain"] == "STEM").mean())
    g = sc.groupby("discipline")["score"]
    ck((g.max() == 100).all() and (g.min() == 60).all(), "scores span 60-100")


PCT_TOP10 = ["tokyo", "greater-bay-area", "beijing", "san-francisco-san-jose", "kyoto-osaka-kobe", "new-york",
             "seoul", "san-diego", "shanghai", "dallas-fort-worth"]
TRI_TOP10 = ["tokyo", "san-francisco-san-jose", "beijing", "kyoto-osaka-kobe", "greater-bay-area",
             "dallas-fort-worth", "eindhoven", "new-york", "san-diego", "paris"]
HQ_TOP20 = ["tokyo", "greater-bay-area", "san-francisco-san-jose", "seoul", "beijing", "new-york", "kyoto-osaka-kobe",
            "eindhoven", "munich", "san-diego", "houston", "paris", "boston", "london", "shanghai", "stockholm",
            "stuttgart", "seattle-tacoma-bellevue", "nagoya", "hangzhou"]
BOTH20 = ["tokyo", "greater-bay-area", "beijing", "san-francisco-san-jose", "kyoto-osaka-kobe", "new-york", "seoul",
          "san-diego", "dallas-fort-worth", "paris", "eindhoven", "munich", "boston", "london"]
HQ_GROWERS = ["tokyo", "greater-bay-area", "san-francisco-san-jose", "seoul", "beijing", "new-york", "kyoto-osaka-kobe"]


def check_ai(d: dict[str, pd.DataFrame], cities: pd.DataFrame, groups: pd.DataFrame, ck: Checks) -> None:
    pby = d["patents_by_year"]
    country = cities.set_index("id")["country_iso3"]
    T = ai.city_totals(pby, ids=list(cities["id"]))
    t = T.set_index("id")
    for (cid, m), v in PUBLISHED_TOTALS.items():
        ck(t.at[cid, m] == v, f"{m} {cid} = {v}", t.at[cid, m])
    ck(ai.top(T, "valid", 5) == ["beijing", "greater-bay-area", "tokyo", "seoul", "san-francisco-san-jose"], "valid top 5")
    ck(sum(country[c] == "CHN" for c in ai.top(T, "valid", 20)) == 14, "14 Chinese cities in valid top 20")
    ck(r1(100 * ai.aggregate_growth(pby, 2012, 2020)) == 32.5, "aggregate CAGR 2012-2020 32.5%", ai.aggregate_growth(pby, 2012, 2020))
    ck(r1(100 * ai.aggregate_growth(pby, 2020, 2022)) == 75.9, "aggregate CAGR 2020-2022 75.9%", ai.aggregate_growth(pby, 2020, 2022))
    ck(ai.aggregate_growth(pby, 2003, 2011) < 0.20, "stage 1 slow growth", ai.aggregate_growth(pby, 2003, 2011))
    gr = ai.growth(pby, 2020, 2022)
    ck(r1(100 * gr["beijing"]) == 77.0, "Beijing 77%", gr["beijing"])
    ck(r1(100 * gr["greater-bay-area"]) == 92.4, "GBA 92.4%", gr["greater-bay-area"])
    ck(gr.idxmax() == "greater-bay-area" and gr["beijing"] > ai.aggregate_growth(pby, 2020, 2022),
       "especially GBA (fastest of all cities) and Beijing (above the aggregate)", gr.sort_values().tail(3).to_dict())
    for what, wide in (("flow", ai.flows(pby, "valid")), ("stock", ai.stock(pby, "valid"))):
        rk = ai.yearly_ranks(wide)
        yrs = list(wide.columns)
        ok_t = all(rk.at["tokyo", y] == 1 for y in yrs if y <= 2017)
        ok_b = all(wide.at["beijing", y] > wide.at["tokyo", y] for y in yrs if y >= 2018)
        ok_g = all((wide.at["greater-bay-area", y] > wide.at["tokyo", y]) == (y >= 2020) for y in yrs)
        if what == "flow":
            ck(ok_t and ok_b and ok_g, "valid flows: Tokyo 1st to 2017, Beijing ahead from 2018, GBA from 2020")
            ck(all(rk.at["tokyo", y] == (1 if y <= 2017 else 2 if y <= 2019 else 3) for y in yrs),
               "valid flows: only Beijing and GBA overtake Tokyo", rk.loc["tokyo"].to_dict())
    hq = ai.flows(pby, "hq")
    hrk = ai.yearly_ranks(hq)
    ck(all(hrk.at["tokyo", y] == 1 for y in hq.columns if y <= 2020), "Tokyo leads HQ every year to 2020")
    ck(all(hrk.at["greater-bay-area", y] == 1 and hrk.at["tokyo", y] == 2 for y in (2021, 2022)), "GBA overtakes Tokyo in HQ in 2021-2022")
    for cid in HQ_GROWERS:
        s = hq.loc[cid, 2018:2022]
        ck(s.is_monotonic_increasing and s.iloc[-1] > s.iloc[0] * 1.1 ** 4 * 0.999, f"HQ high growth 2018-2022 {cid}", s.to_list())
    ck(ai.top(T, "hq", 20) == HQ_TOP20, "HQ top-20 order", ai.top(T, "hq", 20))
    hq20 = [country[c] for c in ai.top(T, "hq", 20)]
    ck(hq20.count("CHN") == 4 and hq20.count("JPN") == 3, "HQ top 20: CN 4, JP 3")
    ck(ai.top(T, "pct", 10) == PCT_TOP10, "PCT top-10 order", ai.top(T, "pct", 10))
    p20 = [country[c] for c in ai.top(T, "pct", 20)]
    ck((p20.count("USA"), p20.count("CHN"), p20.count("JPN"), p20.count("DEU")) == (6, 4, 2, 2), "PCT top 20: US 6, CN 4, JP 2, DE 2")
    pr = ai.ratio(T, "pct")[ai.top(T, "pct", 20)].sort_values(ascending=False, kind="mergesort")
    ck(list(pr.index[:5]) == ["stockholm", "tokyo", "kyoto-osaka-kobe", "san-diego", "dallas-fort-worth"], "PCT/valid top 5", list(pr.index[:5]))
    ck(ai.top(T, "triadic", 10) == TRI_TOP10, "triadic top-10 order", ai.top(T, "triadic", 10))
    t20 = [country[c] for c in ai.top(T, "triadic", 20)]
    ck((t20.count("USA"), t20.count("JPN"), t20.count("CHN")) == (8, 3, 3), "triadic top 20: US 8, JP 3, CN 3")
    tr = ai.ratio(T, "triadic")[ai.top(T, "triadic", 20)].sort_values(ascending=False, kind="mergesort")
    ck(list(tr.index[:4]) == ["dallas-fort-worth", "eindhoven", "kyoto-osaka-kobe", "paris"], "triadic/valid top 4", list(tr.index[:4]))
    ck(ai.in_both_top(T) == BOTH20, "14 cities in both PCT and triadic top 20", ai.in_both_top(T))
    ck((pby["pct"] <= pby["valid"]).all() and (pby["triadic"] <= pby["valid"]).all(), "PCT, triadic within valid (rows)")
    ck((pby["pct"] + pby["triadic"] <= pby["hq"]).all(), "PCT + triadic <= HQ (rows)")
    uni = d["universe"].set_index("measure")["value"]
    ck(T["valid"].sum() <= uni["ai_patents"] and T["hq"].sum() <= uni["hq_patents"], "cities within the search universe")
    app = d["applicants"]
    app_sum = app.groupby("id")["valid_patents"].sum()
    ck((app_sum <= t["valid"].reindex(app_sum.index)).all(), "applicants within city valid patents")
    cr = ai.applicant_concentration(app, T)
    ck(cr.idxmin() == "beijing" and all(cr[c] >= 0.2 for c in ["tokyo", "san-francisco-san-jose", "greater-bay-area", "new-york", "seoul"]),
       "applicant concentration high for Tokyo/SF/GBA/NY/Seoul, Beijing dispersed", cr.round(3).to_dict())
    hf = ai.hotfields(d["ipc_universe"], groups, int(uni["hq_patents"]))
    ck(list(hf["ipc"]) == list(IPC_TABLE) and list(hf["rank"]) == list(range(1, 31)), "IPC table order")
    ck([r2(x) for x in hf["share_pct"]] == IPC_SHARES, "IPC table shares as printed", [r2(x) for x in hf["share_pct"]])
    ipc = d["ipc"]
    city_sum = ipc.groupby("ipc")["hq_patents"].sum()
    uipc = d["ipc_universe"].set_index("ipc")["hq_patents"]
    ck((city_sum <= uipc.reindex(city_sum.index)).all(), "cities' IPC counts within the universe")
    ck((ipc["hq_patents"] <= ipc["id"].map(t["hq"])).all(), "city IPC counts within the city's HQ patents")
    yb = d["ipc_by_year"].groupby("ipc")["hq_patents"].sum()
    ck(yb.sort_index().equals(uipc.sort_index()), "IPC trends sum to the table")
    trends = ai.hotfield_trends(d["ipc_by_year"])
    ck(all(trends[y].idxmax() == "G06F-0017" for y in trends.columns if y <= 2015), "G06F-0017 the top field before 2016")
    g16 = ((trends[2022] / trends[2016]) ** (1 / 6)).sort_values(ascending=False)
    ck(set(g16.index[:5]) == {"G06N-0003", "G06K-0009", "G06N-0020", "G06T-0007", "G06F-0016"}, "five explosive fields after 2016", list(g16.index[:5]))
    check_hotfields(ipc, groups, ck)
    hr = ai.ratio(T, "hq")
    w = [c for c in HQ_TOP20 if country[c] in (NA_WE | {"USA"})]
    cn = [c for c in HQ_TOP20 if country[c] == "CHN"]
    ck(hr[w].mean() > hr[cn].mean(), "HQ share of valid higher in US/Europe than in China")


def check_hotfields(ipc: pd.DataFrame, groups: pd.DataFrame, ck: Checks) -> None:
    codes = list(groups["code"])
    M = ai.hotfield_matrix(ipc, BOTH20, codes)
    R = ai.column_ranks(M)
    A = ai.relative_advantage(M)
    fg = dict(zip(groups["code"], groups["field_group"]))
    by = {g: [c for c in codes if fg[c] == g] for g in set(fg.values())}
    T, SF, G, BJ, S = "tokyo", "san-francisco-san-jose", "greater-bay-area", "beijing", "seoul"
    ck(R.at[G, "G06N-0003"] == 1, "26a GBA first in neural networks")
    for c in ("G06N-0003", "G06F-0017", "G06N-0020"):
        ck(R.at[T, c] <= 3 and R.at[SF, c] <= 3, f"26a Tokyo, SF top 3 in {c}", (R.at[T, c], R.at[SF, c]))
    for c in ("G06F-0017", "G06N-0005", "G06N-0007", "G06N-0099"):
        ck(A.at[T, c] > 1 and A.at[SF, c] > 1, f"26a Tokyo, SF comparative advantage in {c}", (A.at[T, c], A.at[SF, c]))
    for city in (G, S, BJ):
        for c in ("G06N-0003", "G06N-0020", "G06F-0040"):
            ck(A.at[city, c] > 1, f"26a {city} focus on {c}", A.at[city, c])
    b = M[by["intelligent_control"]].sum(axis=1).sort_values(ascending=False)
    ck(set(b.index[:5]) == {T, G, SF, "kyoto-osaka-kobe", "new-york"}, "26b led by Tokyo, GBA, SF, KOK, NY", list(b.index[:5]))
    for c in by["intelligent_control"]:
        ck(R.at[T, c] == 1, f"26b Tokyo first in {c}", R.at[T, c])
    for city in (T, "kyoto-osaka-kobe"):
        for c in ("G06F-0003", "G05B-0013", "G05B-0019"):
            ck(A.at[city, c] > 1, f"26b {city} focus on {c}", A.at[city, c])
    for city in (G, SF, "new-york"):
        for c in ("H04L-0029", "H04L-0012"):
            ck(A.at[city, c] > 1, f"26b {city} focus on {c}", A.at[city, c])
    cv = M[by["computer_vision"]].sum(axis=1).sort_values(ascending=False)
    ck(set(cv.index[:4]) == {G, BJ, T, S}, "26c led by GBA, Beijing, Tokyo, Seoul", list(cv.index[:4]))
    for c in ("G06K-0009", "G06F-0016", "G06V-0010"):
        ck(R.at[G, c] == 1, f"26c GBA first in {c}", R.at[G, c])
    for c in ("G06T-0007", "G10L-0015", "H04N-0005"):
        ck(R.at[T, c] == 1, f"26c Tokyo first in {c}", R.at[T, c])
    for c in ("G06K-0009", "G06F-0016"):
        ck(R.at[T, c] <= 3, f"26c Tokyo leading in {c}", R.at[T, c])
    for city in (BJ, S):
        for c in ("G06K-0009", "G06T-0007", "G06F-0016", "G10L-0015"):
            ck(A.at[city, c] > 1, f"26c {city} advantage in {c}", A.at[city, c])
    for c in by["applications"]:
        ck(R.at[T, c] <= 5 and R.at[SF, c] <= 5, f"26d Tokyo, SF leading in {c}", (R.at[T, c], R.at[SF, c]))
    for c in ("G06F-0019", "G16H-0050", "A61B-0005"):
        ck(R.at["eindhoven", c] <= 3, f"26d Eindhoven prominent in {c}", R.at["eindhoven", c])
    for city in (G, BJ):
        ck(A.at[city, "G06Q-0050"] > 1, f"26d {city} relative advantage in sector systems", A.at[city, "G06Q-0050"])
    for c in codes:
        ck(R.at[T, c] <= 3 and R.at[SF, c] <= 5, f"Tokyo top 3 and SF top 5 in {c}", (R.at[T, c], R.at[SF, c]))
    for c in ("G06N-0020", "G06N-0005", "G06N-0007", "G10L-0015", "H04L-0029", "G06F-0040", "G06F-0017"):
        ck(R.at[T, c] <= 3 and R.at[SF, c] <= 3, f"Tokyo, SF global lead in {c}", (R.at[T, c], R.at[SF, c]))
    hot = M[["G06N-0003", "G06N-0020"] + by["computer_vision"]].sum(axis=1).sort_values(ascending=False)
    ck(set(hot.index[:6]) == {T, G, BJ, SF, S, "new-york"}, "NN, ML and vision led by Tokyo, GBA, Beijing, SF, Seoul, NY", list(hot.index[:6]))
    cvs = M[by["computer_vision"]].sum(axis=1) / M.sum(axis=1)
    pooled = M[by["computer_vision"]].to_numpy().sum() / M.to_numpy().sum()
    for city in (G, BJ):
        ck(A.at[city, "G06N-0003"] > 1 and cvs[city] > pooled, f"{city} focus on vision and neural networks")


# =============================================================================================
# 4. Output
# =============================================================================================


def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def outputs(papers: pd.DataFrame, ai_data: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    o = {"disciplines/papers.csv": papers.sort_values(["id", "discipline", "year"], kind="mergesort")}
    keys = {"patents_by_year": ["id", "year"], "ipc": ["id", "ipc"], "ipc_universe": None, "ipc_by_year": None,
            "universe": None, "applicants": None}
    for name, k in keys.items():
        df = ai_data[name]
        o[f"ai_patents/{name}.csv"] = df.sort_values(k, kind="mergesort") if k else df
    return o


def run_checks(papers, ai_data, cities, meta, groups) -> Checks:
    ck = Checks()
    check_disciplines(papers, cities, meta, ck)
    check_ai(ai_data, cities, groups, ck)
    return ck


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = ap.parse_args(argv)
    data_dir = args.data_dir
    cities = load_cities(data_dir)
    meta = fd.load_discipline_meta(data_dir)
    groups = fd.load_ipc_groups(data_dir)
    rng = np.random.default_rng(SEED)
    papers = build_disciplines(cities, meta, rng)
    ai_data = build_ai(cities, rng)
    ck = run_checks(papers, ai_data, cities, meta, groups)
    if ck.failed:
        print(f"{len(ck.failed)} of {ck.n} checks failed (nothing written):", file=sys.stderr)
        for f in ck.failed:
            print("  FAIL", f, file=sys.stderr)
        return 1
    out = data_dir / str(YEAR)
    for rel, df in outputs(papers, ai_data).items():
        write_csv(df, out / rel)
    # the same checks on the files as the loaders read them
    loaded = {
        "patents_by_year": fd.load_ai_patents(data_dir, YEAR), "ipc": fd.load_ipc(data_dir, YEAR),
        "ipc_universe": fd.load_ipc_universe(data_dir, YEAR), "ipc_by_year": fd.load_ipc_by_year(data_dir, YEAR),
        "universe": fd.load_ai_universe(data_dir, YEAR).rename_axis("measure").reset_index(),
        "applicants": fd.load_applicants(data_dir, YEAR),
    }
    ck2 = run_checks(fd.load_disciplines(data_dir, YEAR), loaded, cities, meta, groups)
    if ck2.failed:
        print(f"{len(ck2.failed)} of {ck2.n} checks failed on the written files:", file=sys.stderr)
        for f in ck2.failed:
            print("  FAIL", f, file=sys.stderr)
        return 1
    print(f"focus_2023: all {ck2.n} checks passed; wrote {len(outputs(papers, ai_data))} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
